// A chart's shell script run as a rendered container runs it: the container's environment, with
// every secretKeyRef resolved from the Secrets of the same render, then only what the test must
// rewrite (where its server or stand-in listens, shorter waits). One place for what the setup
// Jobs' tests (Grafana, Metabase, Lenses), the database pods' provisioning and the backup share.
import { join } from 'node:path';
import { chartPath, type Container, type RenderedChart } from './render-chart.js';
import { runShellScript, type ScriptResult } from './run-shell-script.js';

/** A script of the realtime-platform chart (files/scripts/), the file its ConfigMap ships. */
export const platformScript = (name: string): string =>
  join(chartPath('realtime-platform'), 'files', 'scripts', name);

/**
 * The container's environment as the kubelet gives it: plain values as they are, every
 * secretKeyRef read from the rendered Secret; a variable that resolves to nothing fails, naming it.
 */
export function containerEnvironment(
  render: RenderedChart,
  container: Container,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref ? render.secretData(ref.name)[ref.key] : variable.value;
    if (value === undefined) throw new Error(`cannot resolve ${variable.name}`);
    env[variable.name] = value;
  }
  return env;
}

/** A container's postStart hook, `env K=V ... /bin/sh <script>`, as its variables and script. */
export function postStartHook(container: Container): {
  env: Record<string, string>;
  script: string;
} {
  const { lifecycle } = container as {
    lifecycle?: { postStart?: { exec?: { command?: string[] } } };
  };
  const command = lifecycle?.postStart?.exec?.command ?? [];
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
 * Runs `script` with the container's environment, then `overrides` (an undefined override drops
 * the variable).
 */
export function runAsContainer(
  script: string,
  render: RenderedChart,
  container: Container,
  overrides: Record<string, string | undefined>,
  timeoutMs?: number,
): Promise<ScriptResult> {
  const env = { ...containerEnvironment(render, container), ...overrides };
  const defined = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return runShellScript(script, defined, timeoutMs);
}
