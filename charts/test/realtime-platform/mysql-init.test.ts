// The MySQL container's own provisioning, for real: its postStart hook's script with the
// environment the rendered StatefulSet takes from the rendered Secrets, on a real MySQL-protocol
// server (MariaDB 10.11, Debian's stand-in for MySQL). Only where the server is and who its root
// is are rewritten (the pod's root@localhost over /var/run/mysqld becomes the test server's
// administrator over TCP).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useMariaDbServer } from '@realtime-platform/local-infra/jest';
import mysql from 'mysql2/promise';
import {
  databaseContainer,
  databaseEnvironment,
  databaseInitHook,
  runDatabaseInit,
} from '../support/database-pod.js';
import { renderChart, type RenderedChart } from '../support/render-chart.js';
import type { ScriptResult } from '../support/run-shell-script.js';

const chart = 'realtime-platform';
const mariadb = useMariaDbServer();

let render: RenderedChart;
let dir: string;

/** init-mysql.sh as the postStart hook runs it (../support/database-pod.ts), on the test server. */
const runInit = (
  chartRender: RenderedChart = render,
  extra: Record<string, string> = {},
): Promise<ScriptResult> =>
  runDatabaseInit(
    chartRender,
    'mysql',
    {
      MYSQL_HOST: mariadb().host,
      MYSQL_PORT: String(mariadb().port),
      MYSQL_ROOT_USER: mariadb().admin.user,
      MYSQL_ROOT_PASSWORD: mariadb().admin.password,
      LOG_FILE: join(dir, 'container.log'),
      WAIT_SECONDS: '10',
      POLL_SECONDS: '1',
      ...extra,
    },
    60_000,
  );

/** Runs `sql` as the user of a rendered db secret: true, or the server's error code. */
async function as(secret: Record<string, string | undefined>, sql: string): Promise<true | string> {
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({
      host: mariadb().host,
      port: mariadb().port,
      user: secret.DB_USER,
      password: secret.DB_PASSWORD,
      database: secret.DB_NAME,
    });
    await connection.query(sql);
    return true;
  } catch (error) {
    return String((error as { code?: string }).code);
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

beforeAll(async () => {
  render = await renderChart(chart, { namespace: 'apps', fixtures: ['mysql'] });
  dir = await mkdtemp(join(tmpdir(), 'rtp-mysql-init-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('realtime-platform: init-mysql.sh (the MySQL pod provisions its users itself)', () => {
  it('runs as the postStart hook over the pod socket, root from the admin Secret only', () => {
    expect(databaseInitHook(render, 'mysql')).toEqual({
      env: { MYSQL_SOCKET: '/var/run/mysqld/mysqld.sock', LOG_FILE: '/proc/1/fd/2' },
      script: '/scripts/init-mysql.sh',
    });
    const root = (databaseContainer(render, 'mysql').env ?? []).find(
      (v) => v.name === 'MYSQL_ROOT_PASSWORD',
    );
    expect(root?.valueFrom?.secretKeyRef?.name).toBe('health-data-mysql-admin-secret');
    expect(databaseEnvironment(render, 'mysql').MYSQL_ROOT_HOST).toBe('localhost');
  });

  it('creates the database and both users, and a second run changes nothing (idempotent)', async () => {
    expect(await runInit()).toMatchObject({
      exitCode: 0,
      stdout: 'init-mysql: database realtime and its users are in place\n',
    });
    expect(await runInit()).toMatchObject({ exitCode: 0 });
    expect(await readFile(join(dir, 'container.log'), 'utf8')).toContain('are in place');
  });

  it("gives the applications' user its database and nothing more, the reader reads only", async () => {
    await runInit();
    const app = render.secretData('health-data-db-secret');
    const reader = render.secretData('health-data-db-reader-secret');
    expect(await as(app, 'CREATE TABLE alerts (id INT)')).toBe(true);
    expect(await as(app, 'INSERT INTO alerts VALUES (1)')).toBe(true);
    expect(await as(app, 'CREATE DATABASE other')).toBe('ER_DBACCESS_DENIED_ERROR');
    expect(await as(app, 'SELECT user FROM mysql.user')).toBe('ER_TABLEACCESS_DENIED_ERROR');
    expect(await as(reader, 'SELECT * FROM alerts')).toBe(true);
    expect(await as(reader, 'INSERT INTO alerts VALUES (2)')).toBe('ER_TABLEACCESS_DENIED_ERROR');
    expect(await as(reader, 'DROP TABLE alerts')).toBe('ER_TABLEACCESS_DENIED_ERROR');
  });

  it('the URL of {name}-db-secret logs the applications in', async () => {
    await runInit();
    const { DB_URL } = render.secretData('health-data-db-secret');
    const url = new URL(DB_URL ?? '');
    const connection = await mysql.createConnection({
      host: mariadb().host,
      port: mariadb().port,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    });
    try {
      const [rows] = await connection.query('SELECT DATABASE() AS db');
      expect(rows).toEqual([{ db: 'realtime' }]);
    } finally {
      await connection.end();
    }
  });

  it('sets a changed password again on the next start (a rotated Secret)', async () => {
    await runInit();
    const app = render.secretData('health-data-db-secret');
    expect(await runInit(render, { APP_DB_PASSWORD: "rotated-'pass\\word" })).toMatchObject({
      exitCode: 0,
    });
    expect(await as(app, 'SELECT 1')).toBe('ER_ACCESS_DENIED_ERROR');
    expect(await as({ ...app, DB_PASSWORD: "rotated-'pass\\word" }, 'SELECT 1')).toBe(true);
    await runInit();
    expect(await as(app, 'SELECT 1')).toBe(true);
  });

  it('fails loudly, naming the variable, when a password is missing', async () => {
    const result = await runInit(render, { READER_DB_PASSWORD: '' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('init-mysql: ERROR: READER_DB_PASSWORD is not set');
  });

  it('fails loudly after WAIT_SECONDS when root is refused', async () => {
    const result = await runInit(render, { MYSQL_ROOT_PASSWORD: 'wrong', WAIT_SECONDS: '2' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('did not accept root within 2s');
    expect(result.stderr).toContain('Access denied');
  });
});
