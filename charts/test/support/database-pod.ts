// A database pod of the realtime-platform chart (PostgreSQL, MySQL, MongoDB), as tests run its
// provisioning on a real server: the StatefulSet's container, its postStart hook, and the hook's
// script (files/scripts/init-<database>.sh) with the container's environment resolved from the
// rendered Secrets and the hook's variables. Where the test server is (host, port or socket, its
// administrator) differs per database, so each test passes it as overrides.
import { containerOf, type Container, type RenderedChart } from './render-chart.js';
import {
  containerEnvironment,
  platformScript,
  postStartHook,
  runAsContainer,
} from './container-script.js';
import type { ScriptResult } from './run-shell-script.js';

export type PlatformDatabase = 'postgresql' | 'mysql' | 'mongodb';

/** The database's container in the rendered StatefulSet (`health-data-<database>`). */
export const databaseContainer = (render: RenderedChart, database: PlatformDatabase): Container =>
  containerOf(render.podTemplate('StatefulSet', `health-data-${database}`), database);

/** The database container's environment, every secretKeyRef resolved from the rendered Secrets. */
export const databaseEnvironment = (render: RenderedChart, database: PlatformDatabase) =>
  containerEnvironment(render, databaseContainer(render, database));

/** The database container's postStart hook: its variables and the script it runs. */
export const databaseInitHook = (render: RenderedChart, database: PlatformDatabase) =>
  postStartHook(databaseContainer(render, database));

/**
 * Runs init-<database>.sh as the pod does: the container's environment, the hook's variables, then
 * `overrides` (where the test server is, and what the case changes).
 */
export function runDatabaseInit(
  render: RenderedChart,
  database: PlatformDatabase,
  overrides: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<ScriptResult> {
  return runAsContainer(
    platformScript(`init-${database}.sh`),
    render,
    databaseContainer(render, database),
    { ...databaseInitHook(render, database).env, ...overrides },
    timeoutMs,
  );
}
