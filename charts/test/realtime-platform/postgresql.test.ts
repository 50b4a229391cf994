// The PostgreSQL container's own provisioning, for real: its postStart hook's script and init.sql,
// with the passwords its environment takes from the rendered Secrets, on a real PostgreSQL
// (Debian's) that runs the rendered pg_hba.conf with the superuser the chart names.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PostgresServer } from '@realtime-platform/local-infra';
import { databaseSuperuser } from '@realtime-platform/platform-contract';
import pg from 'pg';
import { runPostgresInit, startPostgresPod } from '../support/postgresql-pod.js';
import { renderChart, type RenderedChart } from '../support/render-chart.js';
import type { ScriptResult } from '../support/run-shell-script.js';

const chart = 'realtime-platform';
const namespace = 'apps';

let server: PostgresServer;
let dir: string;
let render: RenderedChart;

/** The pod's postStart provisioning on the test server (../support/postgresql-pod.ts). */
const runInit = (extra: Record<string, string | undefined> = {}): Promise<ScriptResult> =>
  runPostgresInit(render, server, dir, extra);

/** A TCP login (what any pod of the cluster can try), as `user` to `database`. */
async function connect(user: string, password: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ host: server.host, port: server.port, user, password, database });
  await client.connect();
  return client;
}

/** PostgreSQL's refusal as `<SQLSTATE> <message>` (28000 pg_hba, 28P01 password, 42501 privilege). */
const refusal = (error: unknown): string =>
  `${(error as { code?: string }).code ?? 'no-sqlstate'} ${(error as Error).message}`;

async function canLogIn(user: string, password: string, database: string): Promise<true | string> {
  try {
    const client = await connect(user, password, database);
    await client.query('SELECT 1');
    await client.end();
    return true;
  } catch (error) {
    return refusal(error);
  }
}

/**
 * Runs the statements one by one in one session as `user` over TCP: true, or PostgreSQL's refusal
 * of the first one it refuses (`<SQLSTATE> <message>`).
 */
async function asRole(
  user: string,
  password: string,
  database: string,
  ...statements: string[]
): Promise<true | string> {
  const client = await connect(user, password, database);
  try {
    for (const sql of statements) await client.query(sql);
    return true;
  } catch (error) {
    return refusal(error);
  } finally {
    await client.end();
  }
}

const app = () => render.secretData('health-data-db-secret');
const reader = () => render.secretData('health-data-db-reader-secret');

beforeAll(async () => {
  // Lenses and Metabase: every database of the contract at once.
  render = await renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['lenses'] });
  ({ server, dir } = await startPostgresPod(render, 'rtp-init-sql-'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('realtime-platform: PostgreSQL provisions itself on a real PostgreSQL', () => {
  let first: ScriptResult;
  let second: ScriptResult;
  beforeAll(async () => {
    // What an older chart left behind: the application database owned by the applications'
    // role, with a table of its own.
    const { DB_USER, DB_PASSWORD } = app();
    await server.query(`CREATE ROLE "${DB_USER}" LOGIN PASSWORD '${DB_PASSWORD}'`, [], 'postgres');
    await server.query(`CREATE DATABASE realtime OWNER "${DB_USER}"`, [], 'postgres');
    await asRole(DB_USER!, DB_PASSWORD!, 'realtime', 'CREATE TABLE legacy_alerts (id int)');
    first = await runInit();
    second = await runInit();
  }, 60_000);

  it('runs twice without an error: it is idempotent', () => {
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(second).toMatchObject({ exitCode: 0, stderr: '' });
    expect(second.stdout).toContain('roles and databases are in place');
  });

  it("writes its messages to the container's log too (a hook's output is shown only on failure)", async () => {
    expect(await readFile(join(dir, 'container.log'), 'utf8')).toContain(
      'init-postgresql: roles and databases are in place',
    );
  });

  it('creates hq, agent1, agent2, metabaseappdb and the application database with their owners', async () => {
    const { rows } = await server.query<{ datname: string; owner: string }>(
      `SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database
       WHERE datname NOT IN ('postgres', 'template0', 'template1', 'rtp') ORDER BY datname`,
    );
    expect(rows).toEqual([
      { datname: 'agent1', owner: 'lenses_agent' },
      { datname: 'agent2', owner: 'lenses_agent' },
      { datname: 'hq', owner: 'lenses_hq' },
      { datname: 'metabaseappdb', owner: 'metabase' },
      // Not the applications' role (an older chart made it the owner): it cannot drop it.
      { datname: 'realtime', owner: databaseSuperuser },
    ]);
  });

  it('lets every role log in to its database with the password of its rendered Secret', async () => {
    const internal = render.secretData('health-data-platform-credentials');
    expect(await canLogIn(app().DB_USER!, app().DB_PASSWORD!, 'realtime')).toBe(true);
    expect(await canLogIn(reader().DB_USER!, reader().DB_PASSWORD!, 'realtime')).toBe(true);
    expect(await canLogIn('metabase', internal.METABASE_DB_PASSWORD!, 'metabaseappdb')).toBe(true);
    const hq = render.secretData('health-data-lenses-hq-postgresql').password!;
    const agent = render.secretData('health-data-lenses-agent-postgresql').password!;
    expect(await canLogIn('lenses_hq', hq, 'hq')).toBe(true);
    expect(await canLogIn('lenses_agent', agent, 'agent1')).toBe(true);
    expect(await canLogIn('lenses_agent', agent, 'agent2')).toBe(true);
  });

  it('refuses the superuser over the network, even with its password (pg_hba.conf)', async () => {
    const refused = await canLogIn(databaseSuperuser, server.password, 'postgres');
    expect(refused).toMatch(
      /^28000 pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "postgres"/,
    );
    // The socket (the pod's own processes) still lets it in.
    const local = await server.query<{ user: string }>(
      'SELECT current_user AS user',
      [],
      'postgres',
    );
    expect(local.rows).toEqual([{ user: databaseSuperuser }]);
  });

  it('closes every database to the other roles', async () => {
    expect(await canLogIn(app().DB_USER!, app().DB_PASSWORD!, 'hq')).toMatch(
      /^42501 permission denied for database "hq"/,
    );
    expect(await canLogIn(reader().DB_USER!, reader().DB_PASSWORD!, 'metabaseappdb')).toMatch(
      /^42501 permission denied for database "metabaseappdb"/,
    );
    const hq = render.secretData('health-data-lenses-hq-postgresql').password!;
    expect(await canLogIn('lenses_hq', hq, 'realtime')).toMatch(/^42501 permission denied/);
  });

  it('gives the application and read-only roles no superuser, role or database rights', async () => {
    const { rows } = await server.query<{
      rolname: string;
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      rolreplication: boolean;
      rolbypassrls: boolean;
    }>(
      `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
       FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`,
      [[app().DB_USER, reader().DB_USER]],
      'postgres',
    );
    expect(rows.map(({ rolname: _name, ...rights }) => rights)).toEqual([
      {
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
        rolbypassrls: false,
      },
      {
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
        rolbypassrls: false,
      },
    ]);
  });

  it('lets the applications create and use their own schema (migrations), and nothing more', async () => {
    const { DB_USER, DB_PASSWORD } = app();
    const as = (...sql: string[]) => asRole(DB_USER!, DB_PASSWORD!, 'realtime', ...sql);
    expect(await as('CREATE SCHEMA IF NOT EXISTS realtime_service')).toBe(true);
    expect(await as('CREATE TABLE realtime_service.alerts (id int, device text)')).toBe(true);
    expect(await as("INSERT INTO realtime_service.alerts VALUES (1, 'monitor-7')")).toBe(true);
    // Its table from before the upgrade stays its own.
    expect(await as('INSERT INTO legacy_alerts VALUES (7)')).toBe(true);
    // No other database, not even the maintenance ones.
    for (const database of ['postgres', 'template1']) {
      expect(await canLogIn(DB_USER!, DB_PASSWORD!, database)).toMatch(
        new RegExp(`^42501 permission denied for database "${database}"`),
      );
    }
    // DDL beyond its own schema: refused by the server, each with SQLSTATE 42501.
    expect(await as('CREATE ROLE intruder LOGIN')).toMatch(
      /^42501 permission denied to create role/,
    );
    expect(await as('CREATE DATABASE other')).toMatch(
      /^42501 permission denied to create database/,
    );
    expect(await as('ALTER DATABASE realtime SET log_statement = none')).toMatch(
      /^42501 must be owner of database realtime/,
    );
    expect(await as('ALTER SCHEMA public OWNER TO CURRENT_USER')).toMatch(
      /^42501 must be owner of schema public/,
    );
    expect(await as(`ALTER ROLE "${DB_USER}" SUPERUSER`)).toMatch(
      /^42501 must be superuser to alter superuser roles/,
    );
    // Without the grant option, GRANT grants nothing (PostgreSQL only warns): still closed.
    await as('GRANT CONNECT ON DATABASE realtime TO PUBLIC');
    const acl = await server.query<{ datacl: string }>(
      "SELECT datacl::text FROM pg_database WHERE datname = 'realtime'",
      [],
      'postgres',
    );
    expect(acl.rows[0]?.datacl).not.toMatch(/[{,]=/);
  });

  it('lets the dashboards read what the applications wrote, and write nothing', async () => {
    const { DB_USER, DB_PASSWORD } = reader();
    const as = (...sql: string[]) => asRole(DB_USER!, DB_PASSWORD!, 'realtime', ...sql);
    const client = await connect(DB_USER!, DB_PASSWORD!, 'realtime');
    try {
      // Tables the applications created after the provisioning (default privileges) and before it.
      const alerts = await client.query('SELECT id, device FROM realtime_service.alerts');
      expect(alerts.rows).toEqual([{ id: 1, device: 'monitor-7' }]);
      const legacy = await client.query('SELECT id FROM legacy_alerts');
      expect(legacy.rows).toEqual([{ id: 7 }]);
    } finally {
      await client.end();
    }
    expect(await as("INSERT INTO realtime_service.alerts VALUES (2, 'x')")).toMatch(
      /^25006 cannot execute INSERT in a read-only transaction/,
    );
    // Read-only by privileges too, not only by its session default.
    const writable = 'SET default_transaction_read_only = off';
    expect(await as(writable, "INSERT INTO realtime_service.alerts VALUES (2, 'x')")).toMatch(
      /^42501 permission denied for table alerts/,
    );
    expect(await as(writable, 'DELETE FROM legacy_alerts')).toMatch(
      /^42501 permission denied for table legacy_alerts/,
    );
    expect(await as(writable, 'CREATE TABLE t (id int)')).toMatch(
      /^42501 permission denied for schema public/,
    );
    expect(await as(writable, 'DROP TABLE realtime_service.alerts')).toMatch(
      /^42501 must be owner of table alerts/,
    );
  });

  it('applies a changed password on the next run', async () => {
    const { DB_USER, DB_PASSWORD } = app();
    const result = await runInit({ APP_DB_PASSWORD: 'rotated-password-for-the-test-1' });
    expect(result.exitCode).toBe(0);
    expect(await canLogIn(DB_USER!, 'rotated-password-for-the-test-1', 'realtime')).toBe(true);
    expect(await canLogIn(DB_USER!, DB_PASSWORD!, 'realtime')).toMatch(
      /^28P01 password authentication failed/,
    );
    expect((await runInit()).exitCode).toBe(0);
    expect(await canLogIn(DB_USER!, DB_PASSWORD!, 'realtime')).toBe(true);
  });

  it('fails loudly, naming the variable, when a password is missing', async () => {
    const result = await runInit({ METABASE_DB_PASSWORD: undefined });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'the environment variable METABASE_DB_PASSWORD (password of role metabase) is not set',
    );
    expect(result.stderr).toContain('init-postgresql: ERROR:');
  });

  it('fails loudly, without retrying, when the superuser password is wrong', async () => {
    const result = await runInit({ POSTGRES_PASSWORD: 'not-the-superuser-password' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('password authentication failed for user "postgres"');
  });

  it('fails loudly when PostgreSQL never accepts connections', async () => {
    const result = await runInit({ PGPORT: '1', WAIT_SECONDS: '1', POLL_SECONDS: '1' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('did not accept connections within 1s');
  });
});
