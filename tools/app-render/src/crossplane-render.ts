import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GoTool, GoToolName } from '@realtime-platform/toolchain';
// The process-wide free ports (a run-time dependency: `rtp render` starts the functions on them).
import { freePort, isListening } from '@realtime-platform/local-infra';
import { addonNames } from '@realtime-platform/addons';
import type { RenderedAddon } from './addon-template.js';
import { manifestsToYaml, parseManifests, type KubeObject } from './kube-object.js';
import { renderErrors } from './render.errors.js';
import { goTool } from './render-tools.js';

interface RunningFunction {
  name: string;
  port: number;
  process: ReturnType<GoTool['start']>;
  exited: boolean;
}

/**
 * The composition functions of the addon, built by install-go-tools.sh (this project's
 * function-compose-platform from its sources, function-auto-ready from the Go module proxy), each
 * serving gRPC without TLS (`--insecure`) on a free loopback port. `crossplane render` reaches them
 * through the Development runtime annotations of the functions file. Always `stop()` them.
 */
export class LocalFunctions {
  private running: RunningFunction[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'rtp-xp-render-'));

  static readonly binaries: Readonly<Record<string, { tool: GoToolName; args: string[] }>> = {
    // No metrics endpoint: it would listen on :8080 of every interface.
    [addonNames.functionComposePlatform]: {
      tool: 'function-compose-platform',
      args: ['--metrics-address='],
    },
    [addonNames.functionAutoReady]: { tool: 'function-auto-ready', args: [] },
  };

  /** Starts every function and waits until each listens (or fails, naming it). */
  async start(timeoutMs = 30_000): Promise<void> {
    const tools = Object.entries(LocalFunctions.binaries).map(
      ([name, spec]) => [name, goTool(spec.tool), spec.args] as const,
    );
    for (const [name, tool, args] of tools) {
      const port = await freePort();
      const process = tool.start(['--insecure', `--address=127.0.0.1:${port}`, ...args]);
      const fn: RunningFunction = { name, port, process, exited: false };
      // Settles when the function exits (execa with reject: false: it never rejects).
      const exited = (): void => {
        fn.exited = true;
      };
      process.then(exited, exited);
      this.running.push(fn);
    }
    await Promise.all(this.running.map((fn) => this.waitUntilListening(fn, timeoutMs)));
  }

  private async waitUntilListening(fn: RunningFunction, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await isListening(fn.port))) {
      if (fn.exited || Date.now() > deadline) {
        throw renderErrors.FUNCTION_NOT_LISTENING({
          name: fn.name,
          address: `127.0.0.1:${fn.port}${fn.exited ? ' (it exited)' : ''}`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops the functions and removes the scratch files. */
  async stop(): Promise<void> {
    for (const fn of this.running) fn.process.kill('SIGTERM');
    await Promise.all(this.running.map((fn) => fn.process.catch(() => undefined)));
    this.running = [];
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The functions file: the addon's Function objects, pointed at the local servers. */
  functionsFile(functions: readonly KubeObject[]): string {
    const docs = functions.map((fn) => {
      const local = this.running.find((r) => r.name === fn.metadata.name);
      if (!local)
        throw renderErrors.ADDON_OBJECT_MISSING({ kind: 'Function', name: fn.metadata.name });
      return {
        ...fn,
        metadata: {
          ...fn.metadata,
          annotations: {
            'render.crossplane.io/runtime': 'Development',
            'render.crossplane.io/runtime-development-target': `127.0.0.1:${local.port}`,
          },
        },
      };
    });
    return this.write('functions.yaml', docs);
  }

  /** Writes objects to a scratch file of its own and returns its path. */
  write(name: string, objects: readonly unknown[]): string {
    const file = join(this.dir, `${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
    writeFileSync(file, manifestsToYaml(objects));
    return file;
  }
}

/** One result a function reported (`--include-function-results`). */
export interface FunctionResult {
  severity: string;
  step: string;
  message: string;
}

export interface RenderResult {
  exitCode: number;
  stderr: string;
  /** The XR (its spec as given) with the status the functions wrote. */
  composite?: KubeObject;
  /** Composed resources, by crossplane.io/composition-resource-name. */
  composed: Record<string, KubeObject>;
  results: FunctionResult[];
}

export interface CompositeRenderInput {
  xr: KubeObject;
  composition: KubeObject;
  functionObjects: readonly KubeObject[];
  observed?: readonly KubeObject[];
  xrd?: KubeObject;
}

/**
 * `crossplane render xr.yaml composition.yaml functions.yaml --include-function-results
 * [--observed-resources=observed.yaml] [--xrd=xrd.yaml]`, the functions running locally. `--xrd`
 * defaults the XR's spec as the API server would. A failed render is a result (exit code and
 * crossplane's message), not an exception.
 */
export async function renderComposite(
  functions: LocalFunctions,
  input: CompositeRenderInput,
): Promise<RenderResult> {
  const crossplane = goTool('crossplane');
  const args = [
    'render',
    functions.write('xr.yaml', [input.xr]),
    functions.write('composition.yaml', [input.composition]),
    functions.functionsFile(input.functionObjects),
    '--include-function-results',
  ];
  if (input.observed)
    args.push(`--observed-resources=${functions.write('observed.yaml', input.observed)}`);
  if (input.xrd) args.push(`--xrd=${functions.write('xrd.yaml', [input.xrd])}`);
  const result = await crossplane.run(args);
  if (result.exitCode !== 0)
    return { exitCode: result.exitCode, stderr: result.stderr, composed: {}, results: [] };
  const objects = parseManifests(result.stdout);
  const isResult = (o: KubeObject) =>
    o.apiVersion.startsWith('render.crossplane.io/') && o.kind === 'Result';
  const [output, ...rest] = objects.filter((o) => !isResult(o));
  // crossplane render prints the XR as the functions desire it: metadata and status. With the
  // spec it was given, it is the composite as it will exist.
  const composite = output && {
    ...input.xr,
    ...output,
    metadata: { ...input.xr.metadata, ...output.metadata },
    spec: output.spec ?? input.xr.spec,
  };
  const composed = Object.fromEntries(
    rest.map((o) => [
      o.metadata.annotations?.['crossplane.io/composition-resource-name'] ?? o.metadata.name,
      o,
    ]),
  );
  const results = objects.filter(isResult).map((o) => ({
    severity: String(o.severity),
    step: String(o.step),
    message: String(o.message),
  }));
  return { exitCode: 0, stderr: result.stderr, composite, composed, results };
}

/**
 * The composite resource Crossplane makes of a claim: the claim's spec, a `claimRef` to it (its
 * namespace is where the platform goes) and the claim labels. Crossplane names it
 * `<claim>-<5 random characters>`; here the suffix is fixed so renders are reproducible.
 */
export function compositeFromClaim(claim: KubeObject, compositeKind: string): KubeObject {
  return {
    apiVersion: claim.apiVersion,
    kind: compositeKind,
    metadata: {
      name: `${claim.metadata.name}-x7k2p`,
      labels: {
        'crossplane.io/claim-name': claim.metadata.name,
        'crossplane.io/claim-namespace': claim.metadata.namespace ?? 'default',
      },
    },
    spec: {
      ...claim.spec,
      claimRef: {
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        name: claim.metadata.name,
        namespace: claim.metadata.namespace ?? 'default',
      },
    },
  };
}

/** The addon's XRD whose claim kind and group are the object's, if it is a claim of the addon. */
export function claimXrdOf(addon: RenderedAddon, object: KubeObject): KubeObject | undefined {
  return addon.objects.find(
    (o) =>
      o.kind === 'CompositeResourceDefinition' &&
      o.spec.claimNames?.kind === object.kind &&
      object.apiVersion.startsWith(`${o.spec.group}/`),
  );
}

/**
 * `crossplane render` of a claim of the addon (a RealtimePlatformClaim or an IotBrokerClaim) with
 * the Composition the addon installs for it: its XRD's default Composition.
 */
export async function renderClaim(
  functions: LocalFunctions,
  addon: RenderedAddon,
  claim: KubeObject,
): Promise<RenderResult> {
  const xrd = claimXrdOf(addon, claim);
  if (!xrd)
    throw renderErrors.ADDON_OBJECT_MISSING({
      kind: 'CompositeResourceDefinition',
      name: `for claims of kind ${claim.kind}`,
    });
  const compositeKind = xrd.spec.names.kind as string;
  const compositionName = xrd.spec.defaultCompositionRef?.name as string | undefined;
  const composition = addon.objects.find(
    (o) =>
      o.kind === 'Composition' &&
      (compositionName === undefined
        ? o.spec.compositeTypeRef?.kind === compositeKind
        : o.metadata.name === compositionName),
  );
  if (!composition)
    throw renderErrors.ADDON_OBJECT_MISSING({
      kind: 'Composition',
      name: compositionName ?? `for ${compositeKind}`,
    });
  return renderComposite(functions, {
    xr: compositeFromClaim(claim, compositeKind),
    composition,
    functionObjects: addon.objects.filter((o) => o.kind === 'Function'),
    xrd,
  });
}

/** The provider-helm Releases among the composed resources (of a render, or a list). */
export function composedReleases(composed: RenderResult | readonly KubeObject[]): KubeObject[] {
  const resources = Array.isArray(composed)
    ? composed
    : Object.values((composed as RenderResult).composed);
  return resources.filter(
    (o) => o.apiVersion.startsWith('helm.crossplane.io/') && o.kind === 'Release',
  );
}
