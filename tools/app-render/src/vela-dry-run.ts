import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  toolchainErrors,
  velaBuiltinDefinitionsDir,
  type GoToolResult,
} from '@realtime-platform/toolchain';
import { stringify } from 'yaml';
import { addonDefinitionsDir } from '@realtime-platform/addons';
import { parseManifests, type KubeObject } from './kube-object.js';
import { renderErrors } from './render.errors.js';
import { goTool, goToolsSetupHint } from './render-tools.js';

/** The kinds of definition an Application refers to by `type`, as vela-core's folders name them. */
export type DefinitionKind = 'component' | 'trait' | 'policy' | 'workflowstep';

/** The definitions `vela dry-run -d` is given. */
export interface VelaDefinitions {
  /** The addon's definitions/*.cue (default: true). */
  addon?: boolean;
  /** vela-core built-in definitions by file, e.g. ['component/webservice.cue', 'trait/env.cue']. */
  builtin?: readonly string[];
  /** Definition objects (the ones template.cue installs), written as YAML. */
  objects?: readonly KubeObject[];
}

/** vela-core's built-in definitions, from the KubeVela module the CLI was built from. */
export function builtinDefinitionsDir(): string {
  try {
    return velaBuiltinDefinitionsDir();
  } catch (error) {
    if (!toolchainErrors.MISSING.is(error)) throw error;
    throw renderErrors.TOOL_MISSING(
      { tool: 'vela built-in definitions', hint: goToolsSetupHint },
      { cause: error },
    );
  }
}

/** `<kind>/<type>.cue` when vela-core has a built-in definition of that type, else undefined. */
export function builtinDefinitionFile(kind: DefinitionKind, type: string): string | undefined {
  const file = `${kind}/${type}.cue`;
  return /^[a-z0-9-]+$/.test(type) && existsSync(join(builtinDefinitionsDir(), file))
    ? file
    : undefined;
}

/**
 * Runs the real KubeVela CLI with a scratch HOME and a kubeconfig pointing at a closed loopback
 * port: `vela` reads a kubeconfig even offline (it only needs one to exist), and this one can
 * never reach a cluster. `body` gets the scratch directory for its own files; it is removed after.
 */
async function withOfflineVela<T>(
  body: (run: (args: string[]) => Promise<GoToolResult>, scratch: string) => Promise<T>,
): Promise<T> {
  const vela = goTool('vela');
  const scratch = mkdtempSync(join(tmpdir(), 'rtp-vela-'));
  try {
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
    const env = { KUBECONFIG: kubeconfig, HOME: scratch };
    return await body((args) => vela.run(args, { env }), scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `vela <args>` offline (e.g. `def vet <files>`). */
export async function runVelaOffline(args: string[]): Promise<GoToolResult> {
  return withOfflineVela((run) => run(args));
}

export interface DryRunResult {
  exitCode: number;
  /** The objects the Application becomes (empty when the dry-run failed). */
  objects: KubeObject[];
  /** vela's output on failure, without the "Failed to load external packages" noise of a cluster-less run. */
  error: string;
}

/** `vela dry-run --offline -d <definitions> -f <app>`: the objects the Application becomes. */
export async function dryRunApplication(
  appFile: string,
  definitions: VelaDefinitions = {},
): Promise<DryRunResult> {
  return withOfflineVela(async (run, scratch) => {
    const dir = join(scratch, 'definitions');
    writeDefinitions(dir, definitions);
    const result = await run(['dry-run', '--offline', '-d', dir, '-f', appFile]);
    const error = [result.stderr, result.exitCode === 0 ? '' : result.stdout]
      .join('\n')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('Failed to load external packages'))
      .join('\n');
    const objects = result.exitCode === 0 ? parseManifests(result.stdout) : [];
    return { exitCode: result.exitCode, objects, error };
  });
}

function writeDefinitions(dir: string, set: VelaDefinitions): void {
  mkdirSync(dir);
  if (set.addon !== false) {
    for (const file of readdirSync(addonDefinitionsDir)) {
      cpSync(join(addonDefinitionsDir, file), join(dir, file));
    }
  }
  for (const file of set.builtin ?? []) {
    cpSync(join(builtinDefinitionsDir(), file), join(dir, `builtin-${file.replace('/', '-')}`));
  }
  for (const object of set.objects ?? []) {
    writeFileSync(
      join(dir, `installed-${object.kind}-${object.metadata.name}.yaml`),
      stringify(object),
    );
  }
}
