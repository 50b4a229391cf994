import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoTool, velaBuiltinDefinitionsDir } from '@realtime-platform/toolchain';
import { parseAllDocuments, stringify } from 'yaml';
import { addonDir } from '../../src/index.js';
import type { KubeObject } from './kube-object.js';

/**
 * The real KubeVela CLI. `vela` reads a kubeconfig even offline (it only needs one to exist): a
 * kubeconfig pointing at a closed loopback port keeps it from ever reaching a cluster.
 */
export const vela = GoTool.locate('vela');

const scratch = mkdtempSync(join(tmpdir(), 'rtp-addons-vela-'));
const kubeconfig = join(scratch, 'kubeconfig');
writeFileSync(
  kubeconfig,
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'offline', cluster: { server: 'https://127.0.0.1:1' } }],
    contexts: [{ name: 'offline', context: { cluster: 'offline', user: 'offline' } }],
    'current-context': 'offline',
    users: [{ name: 'offline', user: { token: 'offline' } }],
  }),
);
export const velaEnv = { KUBECONFIG: kubeconfig, HOME: scratch };

/** Removes the scratch directory; call from afterAll. */
export function cleanUpVelaScratch(): void {
  rmSync(scratch, { recursive: true, force: true });
}

export const addonDefinitionsDir = join(addonDir, 'definitions');

export interface DefinitionSet {
  /** The addon's definitions/*.cue (always). */
  addon?: boolean;
  /** vela-core built-in definitions by file, e.g. ['component/webservice.cue', 'trait/env.cue']. */
  builtin?: string[];
  /** Rendered definition objects (the ones template.cue installs), written as YAML. */
  objects?: KubeObject[];
}

/** One directory with the definitions `vela dry-run -d` should know. */
export function definitionsDir(set: DefinitionSet): string {
  const dir = mkdtempSync(join(scratch, 'defs-'));
  if (set.addon !== false) {
    for (const file of readdirSync(addonDefinitionsDir)) {
      cpSync(join(addonDefinitionsDir, file), join(dir, file));
    }
  }
  for (const file of set.builtin ?? []) {
    cpSync(join(velaBuiltinDefinitionsDir(), file), join(dir, `builtin-${file.replace('/', '-')}`));
  }
  for (const object of set.objects ?? []) {
    writeFileSync(join(dir, `rendered-${object.metadata.name}.yaml`), stringify(object));
  }
  return dir;
}

export interface DryRunResult {
  exitCode: number;
  objects: KubeObject[];
  /** stderr without the "cannot load cuex packages" noise of a cluster-less run. */
  error: string;
}

/** `vela dry-run --offline -d <defs> -f <app>`: the objects the Application becomes. */
export async function dryRun(appFile: string, set: DefinitionSet = {}): Promise<DryRunResult> {
  const result = await vela.run(
    ['dry-run', '--offline', '-d', definitionsDir(set), '-f', appFile],
    {
      env: velaEnv,
    },
  );
  const error = [result.stderr, result.exitCode === 0 ? '' : result.stdout]
    .join('\n')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('Failed to load external packages'))
    .join('\n');
  const objects =
    result.exitCode === 0
      ? parseAllDocuments(result.stdout)
          .map((doc) => doc.toJSON() as KubeObject | null)
          .filter((o): o is KubeObject => o !== null && typeof o === 'object')
      : [];
  return { exitCode: result.exitCode, objects, error };
}

/** `vela def vet <files>`. */
export async function defVet(files: string[]) {
  return vela.run(['def', 'vet', ...files], { env: velaEnv });
}

export function findObject(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`no ${kind}/${name} in [${have}]`);
  }
  return found;
}
