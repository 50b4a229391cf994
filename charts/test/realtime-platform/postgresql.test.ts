// The rendered init Job, for real: its script and init.sql, with the passwords its environment
// takes from the rendered Secrets, run twice against a real PostgreSQL (Debian's).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresServer } from '@realtime-platform/local-infra';
import pg from 'pg';
import {
  chartPath,
  containerOf,
  renderChart,
  type RenderedChart,
} from '../support/render-chart.js';
import { runShellScript, type ScriptResult } from '../support/run-shell-script.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const script = join(chartPath(chart), 'files', 'scripts', 'init-postgresql.sh');

let server: PostgresServer;
let dir: string;
let render: RenderedChart;

/** The init Job's environment with every secretKeyRef resolved from the rendered Secrets. */
function jobEnvironment(chartRender: RenderedChart): Record<string, string> {
  const container = containerOf(
    chartRender.podTemplate('Job', 'health-data-postgresql-init-1'),
    'init',
  );
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref ? chartRender.secretData(ref.name)[ref.key] : variable.value;
    if (value === undefined) throw new Error(`cannot resolve ${variable.name}`);
    env[variable.name] = value;
  }
  return env;
}

/**
 * Runs the Job's command against the test server. Only the connection is rewritten: PGHOST and
 * PGPORT point at the loopback server and the superuser is the test cluster's (the Job's is the
 * image's "postgres"); INIT_SQL is the rendered init.sql written to a file, as the Job mounts it.
 */
async function runInitJob(extra: Record<string, string | undefined> = {}): Promise<ScriptResult> {
  const env = {
    ...jobEnvironment(render),
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: server.user,
    PGPASSWORD: server.password,
    INIT_SQL: join(dir, 'init.sql'),
    WAIT_SECONDS: '10',
    ...extra,
  };
  const defined = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return runShellScript(script, defined, 60_000);
}

async function canLogIn(user: string, password: string, database: string): Promise<true | string> {
  const client = new pg.Client({ host: server.host, port: server.port, user, password, database });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

beforeAll(async () => {
  // Lenses and Metabase: every database of the contract at once.
  [server, render] = await Promise.all([
    PostgresServer.start(),
    renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['lenses'] }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'rtp-init-sql-'));
  await writeFile(
    join(dir, 'init.sql'),
    render.configMapData('health-data-postgresql-init')['init.sql'] ?? '',
  );
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('realtime-platform: the PostgreSQL init Job on a real PostgreSQL', () => {
  let first: ScriptResult;
  let second: ScriptResult;
  beforeAll(async () => {
    first = await runInitJob();
    second = await runInitJob();
  }, 60_000);

  it('runs twice without an error: it is idempotent', () => {
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(second).toMatchObject({ exitCode: 0, stderr: '' });
    expect(second.stdout).toContain('roles and databases are in place');
  });

  it('creates hq, agent1, agent2, metabaseappdb and the application database with their owners', async () => {
    const { rows } = await server.query<{ datname: string; owner: string }>(
      `SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database
       WHERE datname NOT IN ('postgres', 'template0', 'template1', 'rtp') ORDER BY datname`,
    );
    const db = render.secretData('health-data-db-secret');
    expect(rows).toEqual([
      { datname: 'agent1', owner: 'lenses_agent' },
      { datname: 'agent2', owner: 'lenses_agent' },
      { datname: 'hq', owner: 'lenses_hq' },
      { datname: 'metabaseappdb', owner: 'metabase' },
      { datname: 'realtime', owner: db.DB_USER },
    ]);
  });

  it('lets every role log in to its database with the password of its rendered Secret', async () => {
    const db = render.secretData('health-data-db-secret');
    const internal = render.secretData('health-data-platform-credentials');
    expect(await canLogIn(db.DB_USER!, db.DB_PASSWORD!, 'realtime')).toBe(true);
    expect(await canLogIn('metabase', internal.METABASE_DB_PASSWORD!, 'metabaseappdb')).toBe(true);
    const hq = render.secretData('health-data-lenses-hq-postgresql').password!;
    const agent = render.secretData('health-data-lenses-agent-postgresql').password!;
    expect(await canLogIn('lenses_hq', hq, 'hq')).toBe(true);
    expect(await canLogIn('lenses_agent', agent, 'agent1')).toBe(true);
    expect(await canLogIn('lenses_agent', agent, 'agent2')).toBe(true);
  });

  it('closes every database to the other roles', async () => {
    const db = render.secretData('health-data-db-secret');
    expect(await canLogIn(db.DB_USER!, db.DB_PASSWORD!, 'hq')).toMatch(
      /permission denied for database "hq"/,
    );
    const hq = render.secretData('health-data-lenses-hq-postgresql').password!;
    expect(await canLogIn('lenses_hq', hq, 'realtime')).toMatch(/permission denied/);
  });

  it('gives the application role no superuser or role-creating rights', async () => {
    const db = render.secretData('health-data-db-secret');
    const { rows } = await server.query<{
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
    }>('SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1', [
      db.DB_USER,
    ]);
    expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
  });

  it('applies a changed password on the next run', async () => {
    const db = render.secretData('health-data-db-secret');
    const result = await runInitJob({ APP_DB_PASSWORD: 'rotated-password-for-the-test-1' });
    expect(result.exitCode).toBe(0);
    expect(await canLogIn(db.DB_USER!, 'rotated-password-for-the-test-1', 'realtime')).toBe(true);
    expect(await canLogIn(db.DB_USER!, db.DB_PASSWORD!, 'realtime')).toMatch(
      /password authentication failed/,
    );
    expect((await runInitJob()).exitCode).toBe(0);
    expect(await canLogIn(db.DB_USER!, db.DB_PASSWORD!, 'realtime')).toBe(true);
  });

  it('fails loudly, naming the variable, when a password is missing', async () => {
    const result = await runInitJob({ METABASE_DB_PASSWORD: undefined });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'the environment variable METABASE_DB_PASSWORD (password of role metabase) is not set',
    );
    expect(result.stderr).toContain('init-postgresql: ERROR:');
  });

  it('fails loudly when PostgreSQL never accepts connections', async () => {
    const result = await runInitJob({ PGPORT: '1', WAIT_SECONDS: '1', POLL_SECONDS: '1' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('did not accept connections within 1s');
  });
});
