// The PostgreSQL pod of the realtime-platform chart, as tests run its postStart provisioning on a
// real server (./database-pod.ts: the container's environment resolved from the render).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresServer } from '@realtime-platform/local-infra';
import { databaseSuperuser } from '@realtime-platform/platform-contract';
import { runDatabaseInit } from './database-pod.js';
import type { RenderedChart } from './render-chart.js';
import type { ScriptResult } from './run-shell-script.js';

/**
 * A real PostgreSQL (Debian's) configured as the rendered pod is: the chart's pg_hba.conf and its
 * superuser. `dir` (a new temporary directory named from `prefix`) holds the rendered init.sql and
 * pg_hba.conf; the caller stops the server and removes `dir` (both also when the start fails).
 */
export async function startPostgresPod(
  render: RenderedChart,
  prefix: string,
): Promise<{ server: PostgresServer; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await writeFile(
      join(dir, 'init.sql'),
      render.configMapData('health-data-postgresql-init')['init.sql'] ?? '',
    );
    await writeFile(
      join(dir, 'pg_hba.conf'),
      render.configMapData('health-data-postgresql-config')['pg_hba.conf'] ?? '',
    );
    const server = await PostgresServer.start({
      superuser: databaseSuperuser,
      hbaFile: join(dir, 'pg_hba.conf'),
    });
    return { server, dir };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs the hook's script as the pod does: the container's environment and the hook's variables.
 * Only where the server is is rewritten: the socket directory and port of the test server (the
 * pod's is /var/run/postgresql:5432) and its superuser's password (initdb's, here the server's);
 * `dir` holds the rendered init.sql (INIT_SQL) and receives LOG_FILE (the pod's log).
 */
export function runPostgresInit(
  render: RenderedChart,
  server: PostgresServer,
  dir: string,
  extra: Record<string, string | undefined> = {},
): Promise<ScriptResult> {
  return runDatabaseInit(
    render,
    'postgresql',
    {
      PGHOST: server.socketDir,
      PGPORT: String(server.port),
      POSTGRES_PASSWORD: server.password,
      INIT_SQL: join(dir, 'init.sql'),
      LOG_FILE: join(dir, 'container.log'),
      WAIT_SECONDS: '10',
      ...extra,
    },
    60_000,
  );
}
