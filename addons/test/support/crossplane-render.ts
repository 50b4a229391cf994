import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoTool, type GoToolName } from '@realtime-platform/toolchain';
import { parseAllDocuments, stringify } from 'yaml';
import { addonNames } from '../../src/index.js';
import type { KubeObject } from './kube-object.js';

export const crossplane = GoTool.locate('crossplane');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface RunningFunction {
  name: string;
  port: number;
  process: ReturnType<GoTool['start']>;
}

/**
 * The composition functions of the addon, built by install-go-tools.sh (this project's
 * function-compose-platform from its sources, function-auto-ready from the Go module proxy), each
 * serving gRPC without TLS (`--insecure`) on a free loopback port. `crossplane render` reaches them
 * through the Development runtime annotations of functions.yaml.
 */
export class LocalFunctions {
  private running: RunningFunction[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'rtp-xp-render-'));

  static readonly binaries: Record<string, { tool: GoToolName; args: string[] }> = {
    // No metrics endpoint: it would listen on :8080 of every interface.
    [addonNames.functionComposePlatform]: {
      tool: 'function-compose-platform',
      args: ['--metrics-address='],
    },
    [addonNames.functionAutoReady]: { tool: 'function-auto-ready', args: [] },
  };

  async start(): Promise<void> {
    for (const [name, { tool, args }] of Object.entries(LocalFunctions.binaries)) {
      const port = await freePort();
      const process = GoTool.locate(tool).start([
        '--insecure',
        `--address=127.0.0.1:${port}`,
        ...args,
      ]);
      this.running.push({ name, port, process });
    }
    await Promise.all(this.running.map((fn) => waitForPort(fn.port)));
  }

  async stop(): Promise<void> {
    for (const fn of this.running) fn.process.kill('SIGTERM');
    await Promise.all(this.running.map((fn) => fn.process.catch(() => undefined)));
    this.running = [];
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** functions.yaml: the addon's Function objects, pointed at the local servers. */
  functionsFile(functions: KubeObject[]): string {
    const docs = functions.map((fn) => {
      const local = this.running.find((r) => r.name === fn.metadata.name);
      if (!local) throw new Error(`no local server for function ${fn.metadata.name}`);
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

  write(name: string, objects: unknown[]): string {
    const file = join(this.dir, `${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    return file;
  }
}

export interface RenderResult {
  exitCode: number;
  stderr: string;
  /** The XR with its new status. */
  composite?: KubeObject;
  /** Composed resources, by crossplane.io/composition-resource-name. */
  composed: Record<string, KubeObject>;
  /** The functions' results (`--include-function-results`): severity, step and message. */
  results: { severity: string; step: string; message: string }[];
}

/**
 * `crossplane render xr.yaml composition.yaml functions.yaml --include-function-results
 * [--observed-resources=observed.yaml] [--xrd=xrd.yaml]`: the XRD defaults the XR's spec as the
 * API server would.
 */
export async function render(
  functions: LocalFunctions,
  input: {
    xr: KubeObject;
    composition: KubeObject;
    functionObjects: KubeObject[];
    observed?: KubeObject[];
    xrd?: KubeObject;
  },
): Promise<RenderResult> {
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
  const objects = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
  const isResult = (o: KubeObject) =>
    o.apiVersion.startsWith('render.crossplane.io/') && o.kind === 'Result';
  const [composite, ...rest] = objects.filter((o) => !isResult(o));
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

/** The composite resource Crossplane makes from a claim (spec copied, claimRef set). */
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
