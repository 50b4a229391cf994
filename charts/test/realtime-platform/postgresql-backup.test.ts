// The scheduled PostgreSQL backup (templates/backup-cronjob.yaml) and the restore procedure of the
// README, for real: a real PostgreSQL (Debian's) running the chart's pg_hba.conf, provisioned by
// the pod's own init.sql; the CronJob's script, command and environment (its read-only backup
// role over TCP); the restore as the README runs it in the PostgreSQL pod (the superuser on the
// socket): backup -> drop -> restore -> the rows are the same.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PostgresServer } from '@realtime-platform/local-infra';
import { databaseSuperuser } from '@realtime-platform/platform-contract';
import { postgresBinDir } from '@realtime-platform/toolchain';
import pg from 'pg';
import { containerEnvironment } from '../support/container-script.js';
import { runPostgresInit, startPostgresPod } from '../support/postgresql-pod.js';
import {
  chartPath,
  renderChart,
  type Container,
  type KubernetesObject,
  type PodTemplate,
  type RenderedChart,
} from '../support/render-chart.js';
import { runShellScript, type ScriptResult } from '../support/run-shell-script.js';
import { hardeningProblems } from '../support/workload-hardening.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const script = join(chartPath(chart), 'files', 'scripts', 'backup-postgresql.sh');

type CronJob = KubernetesObject & {
  spec: {
    schedule: string;
    concurrencyPolicy: string;
    jobTemplate: { spec: { template: PodTemplate } };
  };
};

let render: RenderedChart;
let server: PostgresServer;
let backupRoot: string;
let dir: string;

const cronJobOf = (chartRender: RenderedChart): CronJob =>
  chartRender.get('CronJob', 'health-data-backup') as CronJob;
const backupContainer = (chartRender: RenderedChart): Container =>
  cronJobOf(chartRender).spec.jobTemplate.spec.template.spec.containers[0]!;

/**
 * The CronJob's container environment (secretKeyRefs resolved from the rendered Secrets: the
 * backup role and its password) with only where the server is rewritten (the test server's TCP
 * port), BACKUP_DIR to a temporary directory as the volume, and the server's client tools on PATH.
 */
function backupEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...containerEnvironment(render, backupContainer(render)),
    PGHOST: server.host,
    PGPORT: String(server.port),
    BACKUP_DIR: backupRoot,
    PATH: `${postgresBinDir()}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    ...extra,
  };
}

/**
 * The restore of README "Backup and restore": in the PostgreSQL pod, as the superuser on its own
 * socket, with the container's POSTGRES_PASSWORD (here the test server's socket and password).
 */
function restoreEnvironment(): Record<string, string> {
  return {
    PGHOST: server.socketDir,
    PGPORT: String(server.port),
    PGUSER: databaseSuperuser,
    POSTGRES_PASSWORD: server.password,
    PATH: `${postgresBinDir()}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  };
}

/** The CronJob's command (sh <script> backup), with the chart's script file. */
function runCronJobCommand(extra: Record<string, string> = {}): Promise<ScriptResult> {
  const [, scriptPath, ...args] = backupContainer(render).command ?? [];
  expect(scriptPath).toBe('/scripts/backup-postgresql.sh');
  return runShellScript(script, backupEnvironment(extra), 120_000, args);
}

const completeBackups = (): string[] =>
  readdirSync(backupRoot)
    .filter((entry) => /^\d{8}T\d{6}Z$/.test(entry))
    .sort();

beforeAll(async () => {
  render = await renderChart(chart, {
    namespace,
    fixtures: ['minimal'],
    values: [{ backup: { enabled: true, keep: 2 } }],
  });
  ({ server, dir } = await startPostgresPod(render, 'rtp-backup-pod-'));
  // The pod provisions its roles and databases (the backup role among them) as it starts.
  const init = await runPostgresInit(render, server, dir);
  expect(init).toMatchObject({ exitCode: 0 });
  // The harness's own database (a pod has none such): closed like the chart's, opened the same way.
  await server.query('GRANT CONNECT ON DATABASE rtp TO platform_backup', [], 'postgres');
  backupRoot = await mkdtemp(join(tmpdir(), 'rtp-backups-'));
  await server.query(
    'CREATE TABLE vitals (id bigserial PRIMARY KEY, device_id text NOT NULL, heart_rate int, at timestamptz NOT NULL)',
    [],
    'realtime',
  );
  await server.query(
    `INSERT INTO vitals (device_id, heart_rate, at)
       SELECT 'bed-' || (n % 12), 60 + n % 50, now() - n * interval '1 second'
       FROM generate_series(1, 5000) AS n`,
    [],
    'realtime',
  );
  await server.query('CREATE TABLE dashboards (name text PRIMARY KEY)', [], 'metabaseappdb');
  await server.query("INSERT INTO dashboards VALUES ('ward 7')", [], 'metabaseappdb');
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (backupRoot) await rm(backupRoot, { recursive: true, force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

const allVitals = async (): Promise<unknown[]> =>
  (await server.query('SELECT * FROM vitals ORDER BY id', [], 'realtime')).rows;

describe('backup CronJob (rendering)', () => {
  it('is not rendered unless backup.enabled', async () => {
    const plain = await renderChart(chart, { namespace, fixtures: ['minimal'] });
    expect(plain.names()).not.toContain('CronJob/health-data-backup');
    expect(plain.names()).not.toContain('PersistentVolumeClaim/health-data-backup');
  });

  it('runs one at a time on the schedule, hardened, as the read-only backup role whose password is in the credentials Secret', () => {
    const cronJob = cronJobOf(render);
    expect(cronJob.spec).toMatchObject({ schedule: '30 2 * * *', concurrencyPolicy: 'Forbid' });
    expect(hardeningProblems(cronJob.spec.jobTemplate.spec.template)).toEqual([]);
    const env = backupContainer(render).env ?? [];
    expect(env.find((e) => e.name === 'PGUSER')).toEqual({
      name: 'PGUSER',
      value: 'platform_backup',
    });
    expect(env.find((e) => e.name === 'PGPASSWORD')).toEqual({
      name: 'PGPASSWORD',
      valueFrom: {
        secretKeyRef: { name: 'health-data-platform-credentials', key: 'BACKUP_DB_PASSWORD' },
      },
    });
    expect(render.secretData('health-data-platform-credentials').BACKUP_DB_PASSWORD).toMatch(
      /.{16,}/,
    );
  });

  it('ships the tested script in the scripts ConfigMap and writes to its own kept volume, or an existing claim', async () => {
    const scripts = render.get('ConfigMap', 'health-data-scripts') as KubernetesObject & {
      data: Record<string, string>;
    };
    expect(scripts.data['backup-postgresql.sh']).toBe(await readFile(script, 'utf8'));
    const pvc = render.get('PersistentVolumeClaim', 'health-data-backup');
    expect(pvc.metadata.annotations).toMatchObject({ 'helm.sh/resource-policy': 'keep' });
    const existing = await renderChart(chart, {
      namespace,
      fixtures: ['minimal'],
      values: [{ backup: { enabled: true, persistence: { existingClaim: 'nas-backups' } } }],
    });
    expect(existing.ofKind('PersistentVolumeClaim').map((p) => p.metadata.name)).not.toContain(
      'health-data-backup',
    );
    const volumes = cronJobOf(existing).spec.jobTemplate.spec.template.spec.volumes as {
      name: string;
      persistentVolumeClaim?: { claimName: string };
    }[];
    expect(volumes.find((v) => v.name === 'backups')?.persistentVolumeClaim).toEqual({
      claimName: 'nas-backups',
    });
  });
});

describe('backup and restore (real PostgreSQL)', () => {
  it('fails without leaving a backup behind when the server refuses the login', async () => {
    const before = completeBackups(); // none yet
    const result = await runCronJobCommand({ PGPASSWORD: 'not-the-password' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/password authentication failed|cannot list the databases/);
    expect(completeBackups()).toEqual(before);
    expect(readdirSync(backupRoot).filter((entry) => entry.endsWith('.partial'))).toEqual([]);
  });

  /** SELECT count(*) FROM vitals as the CronJob's backup role over TCP. */
  async function backupRoleCount(): Promise<number> {
    const { PGUSER, PGPASSWORD } = backupEnvironment();
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      user: PGUSER,
      password: PGPASSWORD,
      database: 'realtime',
    });
    await client.connect();
    try {
      return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM vitals')).rows[0]!
        .n;
    } finally {
      await client.end();
    }
  }

  it('the backup role reads every database but can change nothing, and the superuser cannot back up over the network', async () => {
    const { PGUSER, PGPASSWORD } = backupEnvironment();
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      user: PGUSER,
      password: PGPASSWORD,
      database: 'realtime',
    });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM vitals');
      expect(rows).toEqual([{ n: 5000 }]);
      await expect(client.query("DELETE FROM vitals WHERE device_id = 'bed-1'")).rejects.toThrow(
        /read-only transaction/,
      );
      await expect(client.query('SET default_transaction_read_only = off')).resolves.toBeDefined();
      await expect(client.query("DELETE FROM vitals WHERE device_id = 'bed-1'")).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await client.end();
    }
    const asSuperuser = await runCronJobCommand({
      PGUSER: databaseSuperuser,
      PGPASSWORD: server.password,
    });
    expect(asSuperuser.exitCode).not.toBe(0);
    expect(asSuperuser.stderr).toMatch(/pg_hba.conf rejects connection/);
  });

  it('backup -> drop -> restore gives back every row of every database', async () => {
    const before = await allVitals();
    expect(before).toHaveLength(5000);

    const backup = await runCronJobCommand();
    expect(backup).toMatchObject({ stderr: '', exitCode: 0 });
    const [taken] = completeBackups();
    expect(readdirSync(join(backupRoot, taken!)).sort()).toEqual([
      'globals.sql',
      'metabaseappdb.dump',
      'realtime.dump',
      'rtp.dump',
    ]);

    await server.query('DROP DATABASE realtime', [], 'postgres');
    await server.query('DROP DATABASE metabaseappdb', [], 'postgres');
    await expect(allVitals()).rejects.toThrow(/does not exist/);

    // README "Backup and restore": the same script, `restore <backup directory>`, in the pod.
    const restore = await runShellScript(script, restoreEnvironment(), 120_000, [
      'restore',
      join(backupRoot, taken!),
    ]);
    expect(restore).toMatchObject({ stderr: '', exitCode: 0 });
    expect(restore.stdout).toContain('restore complete: 3 databases');
    expect(await allVitals()).toEqual(before);
    const { rows } = await server.query('SELECT name FROM dashboards', [], 'metabaseappdb');
    expect(rows).toEqual([{ name: 'ward 7' }]);
    // The platform's grants came back with the databases: the backup role still reads.
    expect(await backupRoleCount()).toBe(5000);
  });

  it('restore over a live database replaces what changed since the backup', async () => {
    const [taken] = completeBackups();
    const before = await allVitals();
    await server.query("DELETE FROM vitals WHERE device_id = 'bed-3'", [], 'realtime');
    expect((await allVitals()).length).toBeLessThan(before.length);
    const restore = await runShellScript(script, restoreEnvironment(), 120_000, [
      'restore',
      join(backupRoot, taken!),
    ]);
    expect(restore).toMatchObject({ stderr: '', exitCode: 0 });
    expect(await allVitals()).toEqual(before);
  });

  it('keeps the newest backup.keep backups', async () => {
    for (const old of ['20200101T000000Z', '20200102T000000Z']) await mkdir(join(backupRoot, old));
    const existing = completeBackups();
    expect(existing).toHaveLength(3);
    // Backups are named by the UTC second: wait until the newest one's second has passed.
    const utcSecond = () =>
      new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    while (utcSecond() <= existing.at(-1)!)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await runCronJobCommand();
    expect(result).toMatchObject({ stderr: '', exitCode: 0 });
    const kept = completeBackups();
    expect(kept).toHaveLength(2); // BACKUP_KEEP from the rendered backup.keep: 2
    expect(kept).not.toContain('20200101T000000Z');
    expect(kept).not.toContain('20200102T000000Z');
  });

  it('refuses to restore from a directory that is not a complete backup', async () => {
    const empty = join(backupRoot, 'not-a-backup');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'x');
    const result = await runShellScript(script, restoreEnvironment(), 30_000, ['restore', empty]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('is not a complete backup');
    expect(existsSync(join(empty, 'globals.sql'))).toBe(false);
  });
});
