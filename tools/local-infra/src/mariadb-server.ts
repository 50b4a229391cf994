import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { mariadbBinaries } from '@realtime-platform/toolchain';
import { generatePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { chownTree, serviceUser } from './service-user.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface MariaDbServerOptions {
  readyTimeoutMs?: number;
}

/** A user name and password on the server. */
export interface MariaDbAccount {
  readonly user: string;
  readonly password: string;
}

/** A MySQL identifier in backquotes (identifiers cannot be bound parameters). */
const quoteIdentifier = (name: string): string => `\`${name.replaceAll('`', '``')}\``;
/** A string literal for statements that take no parameters (CREATE USER … IDENTIFIED BY). */
const quoteString = (value: string): string =>
  `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/**
 * A real MariaDB (Debian's mariadb-server 10.11) in a fresh data directory on a free loopback
 * port: the stand-in for MySQL, which Debian does not package. Speaks the MySQL protocol; the
 * adapters tested on it avoid what MariaDB and MySQL 8 do differently (see the realtime service's
 * README). Two accounts, both with generated passwords and only over TCP from loopback: `admin`,
 * which may do anything (the harness's own), and `application`, which has every privilege on
 * `database` and nothing else - what the chart's init gives the applications' user.
 */
export class MariaDbServer {
  readonly host = '127.0.0.1';
  readonly database = 'rtp';

  private process: ManagedProcess | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
    readonly admin: MariaDbAccount,
    readonly application: MariaDbAccount,
    private readonly runAs: ReturnType<typeof serviceUser>,
    private readonly options: MariaDbServerOptions,
  ) {}

  static async start(options: MariaDbServerOptions = {}): Promise<MariaDbServer> {
    const { installDb } = mariadbBinaries();
    const runDir = makeRunDir('mariadb');
    const dataDir = join(runDir, 'data');
    const logFile = join(runDir, 'mariadb.log');
    const port = await freePort();
    mkdirSync(dataDir, { mode: 0o700 });
    // mariadbd refuses to run as root without --user; as root (CI) it runs as Debian's "mysql".
    const runAs = serviceUser('mysql');
    chownTree(runDir, runAs);
    // root@localhost authenticates by unix_socket only (no password that could be empty), and
    // no anonymous users or test database exist: the accounts below are the only TCP logins.
    await runToCompletion({
      service: 'mariadb-install-db',
      command: installDb,
      args: [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=socket',
        '--skip-test-db',
      ],
      logFile,
      runAs,
    });
    const admin = { user: 'rtp', password: generatePassword() };
    const application = { user: 'app_local', password: generatePassword() };
    const server = new MariaDbServer(runDir, port, admin, application, runAs, options);
    // The accounts come from an init file that the first start runs and that is then deleted:
    // passwords never appear on a command line.
    const initFile = join(runDir, 'init.sql');
    writeFileSync(
      initFile,
      [
        `CREATE USER ${quoteString(admin.user)}@'127.0.0.1' IDENTIFIED BY ${quoteString(admin.password)};`,
        `GRANT ALL PRIVILEGES ON *.* TO ${quoteString(admin.user)}@'127.0.0.1' WITH GRANT OPTION;`,
        `CREATE DATABASE ${quoteIdentifier(server.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;`,
        `CREATE USER ${quoteString(application.user)}@'%' IDENTIFIED BY ${quoteString(application.password)};`,
        `GRANT ALL PRIVILEGES ON ${quoteIdentifier(server.database)}.* TO ${quoteString(application.user)}@'%';`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    chownTree(initFile, runAs);
    try {
      await server.restart(initFile);
    } finally {
      rmSync(initFile, { force: true });
    }
    return server;
  }

  get logFile(): string {
    return join(this.runDir, 'mariadb.log');
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Starts the server on the same data directory and port (first start, or after `stop()`). */
  async restart(initFile?: string): Promise<void> {
    if (this.running) return;
    const { server } = mariadbBinaries();
    this.process = new ManagedProcess({
      service: 'mariadb',
      command: server,
      args: [
        // No /etc/mysql/my.cnf: the run dir is the whole configuration.
        '--no-defaults',
        `--datadir=${join(this.runDir, 'data')}`,
        `--socket=${join(this.runDir, 'mariadb.sock')}`,
        `--pid-file=${join(this.runDir, 'mariadb.pid')}`,
        `--tmpdir=${this.runDir}`,
        '--bind-address=127.0.0.1',
        `--port=${this.port}`,
        // Accounts match by address only: no reverse DNS lookups on connect.
        '--skip-name-resolve',
        // The server's default charset in MySQL 8 (MariaDB 10.11's is latin1).
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_bin',
        // Throwaway test servers trade durability for speed.
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-buffer-pool-size=32M',
        '--skip-log-bin',
        ...(initFile ? [`--init-file=${initFile}`] : []),
      ],
      logFile: this.logFile,
      runAs: this.runAs,
    });
    await waitUntilReady({
      process: this.process,
      probe: async () => (await this.query<{ ok: number }>('SELECT 1 AS ok'))[0]?.ok === 1,
      timeoutMs: this.options.readyTimeoutMs ?? 30_000,
    });
  }

  /** mysql2 options for `account` (default: the applications' account) on `database`. */
  connectionConfig(
    account: MariaDbAccount = this.application,
    database = this.database,
  ): mysql.ConnectionOptions {
    return {
      host: this.host,
      port: this.port,
      user: account.user,
      password: account.password,
      database,
    };
  }

  /** `mysql://user:password@host:port/database` for `account` (default: the applications'). */
  connectionUrl(account: MariaDbAccount = this.application, database = this.database): string {
    return `mysql://${encodeURIComponent(account.user)}:${encodeURIComponent(account.password)}@${this.host}:${this.port}/${database}`;
  }

  /** Runs one statement as the admin account. */
  async query<R>(sql: string, params: unknown[] = [], database?: string): Promise<R[]> {
    const connection = await mysql.createConnection({
      ...this.connectionConfig(this.admin, database),
      ...(database === undefined ? { database: undefined } : {}),
    });
    try {
      const [rows] = await connection.query(sql, params);
      return rows as R[];
    } finally {
      await connection.end();
    }
  }

  async stop(): Promise<void> {
    // SIGTERM is mariadbd's normal shutdown.
    await this.process?.stop(10_000);
  }
}
