import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type MongoClientOptions } from 'mongodb';
import {
  GoTool,
  goToolVersion,
  goToolsInstallScriptPath,
  toolchainErrors,
} from '@realtime-platform/toolchain';
import { generatePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface FerretDbServerOptions {
  readyTimeoutMs?: number;
}

/** A user name and password, and the database it authenticates against (`authSource`). */
export interface MongoAccount {
  readonly user: string;
  readonly password: string;
  readonly authSource: string;
}

/**
 * A real MongoDB-wire-protocol server on a free loopback port: FerretDB 1.24 (built from the Go
 * module proxy by install-go-tools.sh; no mongod is served by the registries reachable here),
 * storing documents in SQLite files of its run dir. Authentication is on
 * (`--test-enable-new-auth`): SCRAM-SHA-256 against users of its own, as mongod authenticates, and
 * every command but the handshake is refused without it. Two accounts with generated passwords:
 * `admin` in `admin` (the harness's own, created by FerretDB's setup at first start) and
 * `application` in `database`, the URL's `authSource`, as the chart's MongoDB init creates it.
 * FerretDB 1.x does not enforce roles (createUser accepts only `roles: []`): any authenticated
 * user may use any database, so role checks are proven against a real mongod only.
 */
export class FerretDbServer {
  readonly host = '127.0.0.1';
  readonly database = 'rtp';

  private process: ManagedProcess | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
    readonly admin: MongoAccount,
    readonly application: MongoAccount,
    private readonly options: FerretDbServerOptions,
  ) {}

  static async start(options: FerretDbServerOptions = {}): Promise<FerretDbServer> {
    // npm start installs no Go tools: say exactly how to build this one.
    if (!GoTool.isAvailable('ferretdb')) {
      throw toolchainErrors.MISSING({
        tool: `ferretdb ${goToolVersion('ferretdb')}`,
        hint: `run "bash ${goToolsInstallScriptPath} --only ferretdb" (once, about 2 min; npm run setup -- --with-go-tools builds it with the other Go tools)`,
      });
    }
    const runDir = makeRunDir('ferretdb');
    mkdirSync(join(runDir, 'data'), { mode: 0o700 });
    const port = await freePort();
    const admin = { user: 'rtp', password: generatePassword(), authSource: 'admin' };
    const server = new FerretDbServer(
      runDir,
      port,
      admin,
      { user: 'app_local', password: generatePassword(), authSource: 'rtp' },
      options,
    );
    await server.restart();
    const client = new MongoClient(server.connectionUrl(admin), server.clientOptions());
    try {
      await client.connect();
      await client.db(server.database).command({
        createUser: server.application.user,
        pwd: server.application.password,
        // FerretDB 1.x refuses any role (it enforces none); mongod gets readWrite on the database.
        roles: [],
      });
    } finally {
      await client.close();
    }
    return server;
  }

  get logFile(): string {
    return join(this.runDir, 'ferretdb.log');
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Starts the server on the same data directory and port (first start, or after `stop()`). */
  async restart(): Promise<void> {
    if (this.running) return;
    this.process = new ManagedProcess({
      service: 'ferretdb',
      command: GoTool.locate('ferretdb').binary,
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${join(this.runDir, 'data')}/`,
        `--listen-addr=${this.host}:${this.port}`,
        // No debug/metrics listener (it would need a port of its own), no state file in the cwd.
        '--debug-addr=-',
        `--state-dir=${this.runDir}`,
        // Nothing leaves the machine.
        '--telemetry=disable',
        '--test-enable-new-auth',
        // The admin is created once, when the data directory is new (FerretDB skips it otherwise).
        `--setup-database=${this.admin.authSource}`,
        `--setup-username=${this.admin.user}`,
        '--log-level=WARN',
      ],
      // The password from the environment (kong's FERRETDB_* variables), never the command line.
      env: { ...process.env, FERRETDB_SETUP_PASSWORD: this.admin.password },
      logFile: this.logFile,
    });
    await waitUntilReady({
      process: this.process,
      probe: async () => {
        const client = new MongoClient(this.connectionUrl(this.admin), this.clientOptions());
        try {
          await client.connect();
          return (await client.db('admin').command({ ping: 1 })).ok === 1;
        } finally {
          await client.close();
        }
      },
      timeoutMs: this.options.readyTimeoutMs ?? 30_000,
    });
  }

  /**
   * `mongodb://user:password@host:port/database?authSource=…` for `account` (default: the
   * applications'), the shape of the contract's `DB_URL`.
   */
  connectionUrl(account: MongoAccount = this.application, database = this.database): string {
    return `mongodb://${encodeURIComponent(account.user)}:${encodeURIComponent(account.password)}@${this.host}:${this.port}/${database}?authSource=${account.authSource}`;
  }

  /** Driver options for a quick, single-server connection (no replica set here). */
  clientOptions(): MongoClientOptions {
    return { directConnection: true, serverSelectionTimeoutMS: 2_000 };
  }

  async stop(): Promise<void> {
    await this.process?.stop(10_000);
  }
}
