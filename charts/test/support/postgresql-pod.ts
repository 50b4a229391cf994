// The PostgreSQL pod of the realtime-platform chart, as tests run its postStart provisioning on a
// real server (./database-pod.ts: the container's environment resolved from the render).
import { join } from 'node:path';
import type { PostgresServer } from '@realtime-platform/local-infra';
import { runDatabaseInit } from './database-pod.js';
import type { RenderedChart } from './render-chart.js';
import type { ScriptResult } from './run-shell-script.js';

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
