// The PostgreSQL pod of the realtime-platform chart, as tests run its pieces on a real server:
// its container's environment (Secrets resolved from the render) and its postStart provisioning.
import { join } from 'node:path';
import type { PostgresServer } from '@realtime-platform/local-infra';
import { chartPath, containerOf, type RenderedChart } from './render-chart.js';
import { runShellScript, type ScriptResult } from './run-shell-script.js';

const initScript = join(chartPath('realtime-platform'), 'files', 'scripts', 'init-postgresql.sh');

export const postgresContainer = (render: RenderedChart) =>
  containerOf(render.podTemplate('StatefulSet', 'health-data-postgresql'), 'postgresql');

/** The container's environment with every secretKeyRef resolved from the rendered Secrets. */
export function postgresContainerEnvironment(render: RenderedChart): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of postgresContainer(render).env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref ? render.secretData(ref.name)[ref.key] : variable.value;
    if (value === undefined) throw new Error(`cannot resolve ${variable.name}`);
    env[variable.name] = value;
  }
  return env;
}

/** The postStart hook's command: `env K=V ... /bin/sh <script>`, as its variables and script. */
export function postStartHook(render: RenderedChart): {
  env: Record<string, string>;
  script: string;
} {
  const container = postgresContainer(render) as {
    lifecycle?: { postStart?: { exec?: { command?: string[] } } };
  };
  const command = container.lifecycle?.postStart?.exec?.command ?? [];
  if (command[0] !== 'env')
    throw new Error(`the postStart hook is not \`env K=V ... sh <script>\`: ${command.join(' ')}`);
  const assignments = command.slice(1).filter((part) => /^[A-Z_]+=/.test(part));
  return {
    env: Object.fromEntries(
      assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
    ),
    script: command.at(-1) ?? '',
  };
}

/**
 * Runs the hook's script as the pod does: the container's environment and the hook's variables.
 * Only where the server is is rewritten: the socket directory and port of the test server (the
 * pod's is /var/run/postgresql:5432) and its superuser's password (initdb's, here the server's);
 * `dir` holds the rendered init.sql (INIT_SQL) and receives LOG_FILE (the pod's log).
 */
export async function runPostgresInit(
  render: RenderedChart,
  server: PostgresServer,
  dir: string,
  extra: Record<string, string | undefined> = {},
): Promise<ScriptResult> {
  const env = {
    ...postgresContainerEnvironment(render),
    ...postStartHook(render).env,
    PGHOST: server.socketDir,
    PGPORT: String(server.port),
    POSTGRES_PASSWORD: server.password,
    INIT_SQL: join(dir, 'init.sql'),
    LOG_FILE: join(dir, 'container.log'),
    WAIT_SECONDS: '10',
    ...extra,
  };
  const defined = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return runShellScript(initScript, defined, 60_000);
}
