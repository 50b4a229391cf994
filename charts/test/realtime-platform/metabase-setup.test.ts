// The Metabase setup Job's script, run for real (sh, curl, jq) with the environment the rendered
// Job gives it, against a stand-in for Metabase's API (Metabase itself is not on the registries
// here); the dashboard's SQL runs on a real PostgreSQL.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PostgresServer } from '@realtime-platform/local-infra';
import { MetabaseApiStandIn } from '../support/metabase-api-stand-in.js';
import {
  containerEnvironment,
  platformScript,
  runAsContainer,
} from '../support/container-script.js';
import {
  chartPath,
  containerOf,
  renderChart,
  type RenderedChart,
} from '../support/render-chart.js';

const chart = 'realtime-platform';
const script = platformScript('setup-metabase.sh');

let render: RenderedChart;
let metabase: MetabaseApiStandIn;
let snowflakeDir: string;

/** The rendered Job's container. */
const setupContainer = () =>
  containerOf(render.podTemplate('Job', 'health-data-metabase-setup-1'), 'setup');

/** The rendered Job's environment, Secret references resolved from the rendered Secrets. */
const jobEnvironment = () => containerEnvironment(render, setupContainer());

/**
 * Runs the script with the Job's environment; only where it finds Metabase and the Snowflake
 * files is rewritten.
 */
const run = (extra: Record<string, string> = {}) =>
  runAsContainer(script, render, setupContainer(), {
    MB_URL: metabase.url,
    SNOWFLAKE_DIR: snowflakeDir,
    WAIT_SECONDS: '5',
    POLL_SECONDS: '1',
    ...extra,
  });

beforeAll(async () => {
  render = await renderChart(chart, { namespace: 'apps', fixtures: ['snowflake'] });
});
beforeEach(async () => {
  metabase = await MetabaseApiStandIn.start();
  snowflakeDir = await mkdtemp(join(tmpdir(), 'rtp-snowflake-'));
  const files = {
    SNOWFLAKE_URL: 'https://xy12345.eu-central-1.snowflakecomputing.com',
    SNOWFLAKE_USER: 'KAFKA_USER',
    SNOWFLAKE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
    SNOWFLAKE_WAREHOUSE: 'REPORTING',
  };
  for (const [key, value] of Object.entries(files)) await writeFile(join(snowflakeDir, key), value);
});
afterEach(async () => {
  await metabase.close();
  await rm(snowflakeDir, { recursive: true, force: true });
});

describe('realtime-platform: setup-metabase.sh', () => {
  it('creates the admin of {name}-metabase-admin-secret with the setup token and adds the data sources as the read-only role', async () => {
    metabase.startingHealthChecks = 2;
    const result = await run();
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    const admin = render.secretData('health-data-metabase-admin-secret');
    expect(metabase.admin).toEqual({
      email: admin.DASHBOARD_ADMIN_USER,
      password: admin.DASHBOARD_ADMIN_PASSWORD,
    });
    const db = render.secretData('health-data-db-reader-secret');
    // Not the applications' role: the dashboards cannot change what they show.
    expect(db.DB_USER).not.toBe(render.secretData('health-data-db-secret').DB_USER);
    expect(metabase.databases).toEqual([
      {
        id: 1,
        name: 'realtime (PostgreSQL)',
        engine: 'postgres',
        details: {
          host: db.DB_HOST,
          port: 5432,
          dbname: 'realtime',
          user: db.DB_USER,
          password: db.DB_PASSWORD,
          ssl: false,
        },
      },
      {
        id: 2,
        name: 'Snowflake',
        engine: 'snowflake',
        details: {
          account: 'xy12345.eu-central-1',
          user: 'KAFKA_USER',
          'use-password': false,
          'private-key-options': 'local',
          'private-key-path': '/etc/snowflake/SNOWFLAKE_PRIVATE_KEY',
          db: 'INGEST',
          warehouse: 'REPORTING',
        },
      },
    ]);
  });

  it.each([
    ['mysql', 'realtime (MySQL)', 'mysql', 'password'],
    ['mongodb', 'realtime (MongoDB)', 'mongo', 'pass'],
  ] as const)(
    'adds the application database on %s with its Metabase driver and the read-only user',
    async (database, name, engine, passwordKey) => {
      const saved = render;
      render = await renderChart(chart, {
        namespace: 'apps',
        fixtures: ['snowflake'],
        values: [{ platform: { database } }],
      });
      try {
        // The dashboards' cards are PostgreSQL SQL: none is provisioned on another engine.
        expect(jobEnvironment().DASHBOARDS_DIR).toBeUndefined();
        expect(await run()).toMatchObject({ exitCode: 0, stderr: '' });
        const db = render.secretData('health-data-db-reader-secret');
        expect(metabase.databases[0]).toEqual({
          id: 1,
          name,
          engine,
          details: {
            host: `health-data-${database}.apps.svc.cluster.local`,
            port: database === 'mysql' ? 3306 : 27017,
            dbname: 'realtime',
            user: db.DB_USER,
            [passwordKey]: db.DB_PASSWORD,
            // MongoDB authenticates the user against the application database (DB_URL's authSource).
            ...(database === 'mongodb' ? { authdb: 'realtime' } : {}),
            ssl: false,
          },
        });
      } finally {
        render = saved;
      }
    },
  );

  it('logs in and updates the data sources on the next run instead of adding them again', async () => {
    await run();
    const again = await run();
    expect(again).toMatchObject({ exitCode: 0, stderr: '' });
    expect(again.stdout).toContain('Metabase is set up; logged in as');
    expect(metabase.databases).toHaveLength(2);
    expect(metabase.writes()).toEqual([
      'POST /api/setup',
      'POST /api/database',
      'POST /api/database',
      'POST /api/user',
      'POST /api/session',
      'PUT /api/database/1',
      'PUT /api/database/2',
      'PUT /api/user/2/password',
    ]);
    expect(metabase.users).toHaveLength(1);
  });

  it('creates the viewer of {name}-metabase-secret as a plain user, never an admin', async () => {
    const result = await run();
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    const viewer = render.secretData('health-data-metabase-secret');
    expect(viewer.DASHBOARD_USER).not.toBe(metabase.admin?.email);
    expect(metabase.users).toEqual([
      {
        id: 2,
        email: viewer.DASHBOARD_USER,
        password: viewer.DASHBOARD_PASSWORD,
        is_superuser: false,
        is_active: true,
      },
    ]);
    // What the applications can do with it: log in, and be refused the admin API.
    const login = await fetch(`${metabase.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: viewer.DASHBOARD_USER,
        password: viewer.DASHBOARD_PASSWORD,
      }),
    });
    expect(login.status).toBe(200);
    const { id } = (await login.json()) as { id: string };
    const users = await fetch(`${metabase.url}/api/user`, {
      headers: { 'x-metabase-session': id },
    });
    expect(users.status).toBe(403);
  });

  it('takes admin rights away from the viewer and sets its password again, when someone changed them', async () => {
    await run();
    const [user] = metabase.users;
    user!.is_superuser = true;
    user!.password = 'changed-in-the-ui';
    user!.is_active = false;
    const again = await run();
    expect(again).toMatchObject({ exitCode: 0, stderr: '' });
    expect(again.stdout).toContain('admin rights removed');
    expect(metabase.users[0]).toMatchObject({
      is_superuser: false,
      is_active: true,
      password: render.secretData('health-data-metabase-secret').DASHBOARD_PASSWORD,
    });
  });

  it('fails loudly when the admin password no longer works', async () => {
    await run();
    metabase.admin = { email: metabase.admin!.email, password: 'changed-in-the-ui' };
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('cannot log in (HTTP 401)');
  });

  it('fails loudly, with Metabase answer, when a data source is refused', async () => {
    metabase.databaseFailure = {
      status: 400,
      body: { message: 'Timed out trying to connect to the database' },
    };
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      "adding data source 'realtime (PostgreSQL)' failed: Metabase answered HTTP 400",
    );
    expect(result.stderr).toContain('Timed out trying to connect to the database');
  });

  it('fails loudly when Metabase never becomes healthy', async () => {
    metabase.startingHealthChecks = 1_000;
    const result = await run({ WAIT_SECONDS: '2' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('waiting 2s for Metabase failed: Metabase answered HTTP 503');
  });

  it('fails loudly when the Snowflake Secret lacks a required key', async () => {
    await rm(join(snowflakeDir, 'SNOWFLAKE_USER'));
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('the Snowflake credentials Secret has no SNOWFLAKE_USER');
  });
});

describe('realtime-platform: the health-monitoring dashboard of the Metabase setup Job', () => {
  const dashboardsDir = join(chartPath(chart), 'files', 'metabase');
  const definition = async () =>
    JSON.parse(await readFile(join(dashboardsDir, 'health-monitoring.json'), 'utf8')) as {
      name: string;
      cards: { name: string; sql: string }[];
    };

  it('is mounted from the chart into the Job where DASHBOARDS_DIR points', () => {
    const pod = render.podTemplate('Job', 'health-data-metabase-setup-1');
    expect(jobEnvironment().DASHBOARDS_DIR).toBe('/dashboards');
    const mount = containerOf(pod, 'setup').volumeMounts?.find((m) => m.name === 'dashboards');
    expect(mount).toMatchObject({ mountPath: '/dashboards', readOnly: true });
    const volume = (pod.spec.volumes as { name: string; configMap?: { items?: unknown[] } }[]).find(
      (v) => v.name === 'dashboards',
    );
    expect(volume?.configMap?.items).toEqual([
      { key: 'metabase-health-monitoring.json', path: 'health-monitoring.json' },
    ]);
    expect(
      render.configMapData('health-data-scripts')['metabase-health-monitoring.json'],
    ).toBeDefined();
  });

  it('creates its cards on the application database and lays them out; a rerun updates them in place', async () => {
    const { name, cards } = await definition();
    expect(await run({ DASHBOARDS_DIR: dashboardsDir })).toMatchObject({ exitCode: 0, stderr: '' });
    const appDatabase = metabase.databases.find((db) => db.name === 'realtime (PostgreSQL)')!;
    expect(metabase.cards.map((c) => [c.name, c.dataset_query])).toEqual(
      cards.map((c) => [
        c.name,
        { type: 'native', database: appDatabase.id, native: { query: c.sql } },
      ]),
    );
    expect(metabase.dashboards.map((d) => [d.name, d.dashcards.map((dc) => dc.card_id)])).toEqual([
      [name, metabase.cards.map((c) => c.id)],
    ]);
    const second = await run({ DASHBOARDS_DIR: dashboardsDir });
    expect(second).toMatchObject({ exitCode: 0, stderr: '' });
    expect(metabase.cards).toHaveLength(cards.length);
    expect(metabase.dashboards).toHaveLength(1);
    expect(metabase.writes().filter((w) => w.startsWith('POST /api/card'))).toHaveLength(
      cards.length,
    );
  });

  it("runs every card's SQL on a real PostgreSQL holding the realtime service's tables", async () => {
    const { cards } = await definition();
    const server = await PostgresServer.start();
    try {
      // The realtime service's own migrations, in its schema (as its migrator runs them).
      await server.query('CREATE SCHEMA realtime_service');
      const migrations = join(
        chartPath(chart),
        '..',
        '..',
        'services',
        'realtime-service',
        'migrations',
      );
      for (const file of (await readdir(migrations)).filter((f) => f.endsWith('.sql')).sort())
        await server.query(
          `SET search_path TO realtime_service; ${await readFile(join(migrations, file), 'utf8')}`,
        );
      await server.query(`INSERT INTO realtime_service.alerts
        (id, device_id, rule_id, kind, metric, value, threshold, direction, severity, message, recorded_at, raised_at)
        VALUES ('hr/1/bed-1', 'bed-1', 'hr-high', 'threshold', 'heart_rate', 142, 120, 'above', 'critical', 'x', now() - interval '2 hours', now() - interval '2 hours'),
               ('hr/2/bed-1', 'bed-1', 'hr-high', 'threshold', 'heart_rate', 150, 120, 'above', 'critical', 'x', now() - interval '1 hour', now() - interval '1 hour'),
               ('spo2/1/bed-2', 'bed-2', 'spo2-low', 'threshold', 'oxygen_saturation', 86, 90, 'below', 'warning', 'x', now(), now())`);
      await server.query(`INSERT INTO realtime_service.alert_rule_state VALUES
        ('hr-high', 'bed-1', true, now() - interval '1 hour'), ('spo2-low', 'bed-2', false, now())`);
      const results = new Map<string, unknown[]>();
      for (const card of cards) results.set(card.name, (await server.query(card.sql)).rows);
      expect(results.get('Alerts per device (7 days)')).toEqual([
        { device_id: 'bed-1', alerts: '2' },
        { device_id: 'bed-2', alerts: '1' },
      ]);
      expect(results.get('Devices in breach now')).toEqual([
        expect.objectContaining({ device_id: 'bed-1', rule_id: 'hr-high' }),
      ]);
      expect(
        (results.get('Last alerting vital per device and metric') as { value: number }[]).map(
          (row) => row.value,
        ),
      ).toEqual([150, 86]);
      expect(results.get('Alerts per day and severity (30 days)')?.length).toBeGreaterThanOrEqual(
        2,
      );
    } finally {
      await server.stop();
    }
  });
});
