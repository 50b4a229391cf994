import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir } from '@realtime-platform/toolchain';
import { generatePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { chownTree, serviceUser } from './service-user.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface PostgresServerOptions {
  /** Databases created after start (the superuser's database always exists). */
  databases?: string[];
  readyTimeoutMs?: number;
  /** The superuser's name (default `rtp`); `postgres` to run a chart's pg_hba.conf as written. */
  superuser?: string;
  /**
   * A pg_hba.conf to run instead of initdb's (`-c hba_file`). The harness then connects as the
   * superuser over the server's socket (`socketDir`), as a pod's own processes do: such a file
   * may refuse the superuser over TCP.
   */
  hbaFile?: string;
}

/** A real PostgreSQL (Debian package) in a fresh cluster on a free loopback port. */
export class PostgresServer {
  readonly host = '127.0.0.1';
  readonly database = 'rtp';

  private process: ManagedProcess | undefined;
  private appRole: { user: string; password: string } | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
    readonly password: string,
    private readonly runAs: ReturnType<typeof serviceUser>,
    private readonly options: PostgresServerOptions,
  ) {}

  /** The superuser (initdb's `-U`). */
  get user(): string {
    return this.options.superuser ?? 'rtp';
  }

  /**
   * The applications' role, as the chart provisions it: a login that may connect to `database`,
   * create its own schemas there and use them, and nothing else (no superuser, no role or
   * database creation, no other database). What `localPlatformEnv` gives services as `DB_USER`.
   */
  get application(): { user: string; password: string } {
    if (!this.appRole) throw new Error('the applications role is created by PostgresServer.start');
    return this.appRole;
  }

  /** The directory of the server's Unix socket (libpq's PGHOST for a local connection). */
  get socketDir(): string {
    return this.runDir;
  }

  static async start(options: PostgresServerOptions = {}): Promise<PostgresServer> {
    const bin = postgresBinDir();
    const runDir = makeRunDir('postgres');
    const dataDir = join(runDir, 'data');
    const logFile = join(runDir, 'postgres.log');
    const password = generatePassword();
    const port = await freePort();
    writeFileSync(join(runDir, 'pwfile'), password, { mode: 0o600 });
    mkdirSync(dataDir, { mode: 0o700 });
    // Copied into the run dir, which the server's user owns: it must be able to read it.
    if (options.hbaFile) copyFileSync(options.hbaFile, join(runDir, 'pg_hba.conf'));
    // PostgreSQL refuses to run as root; as root (CI), run it as the Debian "postgres" user.
    const runAs = serviceUser('postgres');
    chownTree(runDir, runAs);
    await runToCompletion({
      service: 'initdb',
      command: join(bin, 'initdb'),
      args: [
        '-D',
        dataDir,
        '-U',
        options.superuser ?? 'rtp',
        `--pwfile=${join(runDir, 'pwfile')}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      logFile,
      runAs,
    });
    const server = new PostgresServer(runDir, port, password, runAs, options);
    await server.restart();
    for (const database of [server.database, ...(options.databases ?? [])]) {
      await server.createDatabase(database);
    }
    await server.createApplicationRole();
    return server;
  }

  /** See `application`: the same rights as the chart's init.sql gives the applications' role. */
  private async createApplicationRole(): Promise<void> {
    const role = { user: 'app_local', password: generatePassword() };
    const database = this.database;
    await this.query(
      `CREATE ROLE ${role.user} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${role.password}'`,
      [],
      'postgres',
    );
    // Every other database is closed to it, as in the chart (the superuser still gets in).
    for (const closed of ['postgres', 'template1', ...(this.options.databases ?? [])]) {
      await this.query(
        `REVOKE CONNECT, TEMPORARY ON DATABASE "${closed}" FROM PUBLIC`,
        [],
        'postgres',
      );
    }
    await this.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`, [], 'postgres');
    await this.query(
      `GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${database} TO ${role.user}`,
      [],
      'postgres',
    );
    await this.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role.user}`, [], database);
    this.appRole = role;
  }

  get logFile(): string {
    return join(this.runDir, 'postgres.log');
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /**
   * Starts the server on the same data directory and port (first start, or after `stop()` or
   * `kill()`): an outage of the database, then its return, as a fault drill needs.
   */
  async restart(): Promise<void> {
    if (this.running) return;
    const dataDir = join(this.runDir, 'data');
    this.process = new ManagedProcess({
      service: 'postgres',
      command: join(postgresBinDir(), 'postgres'),
      args: [
        '-D',
        dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        // Sockets in the run dir, not /var/run/postgresql (may not exist or be writable).
        '-c',
        `unix_socket_directories=${this.runDir}`,
        // Throwaway test clusters trade durability for speed.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        ...(this.options.hbaFile ? ['-c', `hba_file=${join(this.runDir, 'pg_hba.conf')}`] : []),
      ],
      logFile: this.logFile,
      runAs: this.runAs,
      // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for idle clients.
      stopSignal: 'SIGINT',
    });
    const process = this.process;
    await waitUntilReady({
      process,
      probe: () => this.probe(),
      timeoutMs: this.options.readyTimeoutMs ?? 30_000,
    });
  }

  /** Simulates a crash (SIGKILL) and waits for the exit; `restart()` brings it back. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.process?.kill(signal);
  }

  /** node-postgres options for `database` (default: the superuser's database). */
  connectionConfig(database = this.database): pg.ClientConfig {
    return { host: this.host, port: this.port, user: this.user, password: this.password, database };
  }

  connectionString(database = this.database): string {
    return `postgresql://${this.user}:${encodeURIComponent(this.password)}@${this.host}:${this.port}/${database}`;
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    database = this.database,
  ): Promise<pg.QueryResult<R>> {
    // With a pg_hba.conf of its own the server may refuse the superuser over TCP: the harness
    // then uses the socket, as the pod's own processes do.
    const client = new pg.Client(
      this.options.hbaFile
        ? { ...this.connectionConfig(database), host: this.socketDir }
        : this.connectionConfig(database),
    );
    await client.connect();
    try {
      return await client.query<R>(sql, params);
    } finally {
      await client.end();
    }
  }

  async createDatabase(name: string): Promise<void> {
    // Identifiers cannot be bound parameters; quote them instead.
    await this.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`, [], 'postgres');
  }

  async stop(): Promise<void> {
    await this.process?.stop(5_000);
  }

  private async probe(): Promise<boolean> {
    // initdb creates only "postgres"; our own database comes after readiness.
    const result = await this.query<{ ok: number }>('SELECT 1 AS ok', [], 'postgres');
    return result.rows[0]?.ok === 1;
  }
}
