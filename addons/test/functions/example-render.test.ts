import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@realtime-platform/local-infra';
import { GoTool, type GoToolName } from '@realtime-platform/toolchain';
import { parseAllDocuments } from 'yaml';
import { addonNames, addonsRoot, composeFunction } from '../../src/index.js';

// The function's example/ (laid out like Crossplane's function-template-go) is what its README
// says: `crossplane render xr.yaml composition.yaml functions.yaml --xrd=xrd.yaml`, with the real
// crossplane CLI, this project's function binary (built from its sources by install-go-tools.sh)
// and function-auto-ready. Only the Development runtime's target addresses are moved to free
// loopback ports: suites run in parallel and the example's fixed ports may be taken.

const exampleDir = join(addonsRoot, composeFunction.dir, 'example');
const functionTools: Record<string, { tool: GoToolName; args: string[] }> = {
  // No metrics endpoint: it would listen on :8080 of every interface.
  [composeFunction.name]: { tool: 'function-compose-platform', args: ['--metrics-address='] },
  [addonNames.functionAutoReady]: { tool: 'function-auto-ready', args: [] },
};

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [field: string]: unknown;
}

const parse = (text: string): KubeObject[] =>
  parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('the function example (example/)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtp-fn-example-'));
  const running: ReturnType<GoTool['start']>[] = [];
  const targets: Record<string, string> = {};

  beforeAll(async () => {
    for (const [name, { tool, args }] of Object.entries(functionTools)) {
      const port = await freePort();
      const fn = GoTool.locate(tool).start(['--insecure', `--address=127.0.0.1:${port}`, ...args]);
      running.push(fn);
      let exited = false;
      // Settles when the binary exits (execa with reject: false never rejects).
      const markExited = (): void => {
        exited = true;
      };
      fn.then(markExited, markExited);
      // Until it listens, or it exited (a broken binary fails here, not as a render timeout).
      while (!(await listening(port))) {
        if (exited) throw new Error(`${name} exited before listening on 127.0.0.1:${port}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      targets[name] = `127.0.0.1:${port}`;
    }
  });

  afterAll(async () => {
    for (const fn of running) fn.kill('SIGTERM');
    await Promise.all(running.map((fn) => fn.catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  /** example/functions.yaml with each Development target moved to where its binary listens. */
  function functionsFile(): string {
    const functions = parse(readFileSync(join(exampleDir, 'functions.yaml'), 'utf8'));
    for (const fn of functions) {
      const annotations = fn.metadata.annotations ?? {};
      expect(annotations['render.crossplane.io/runtime']).toBe('Development');
      annotations['render.crossplane.io/runtime-development-target'] =
        targets[fn.metadata.name] ?? '';
    }
    const file = join(dir, 'functions.yaml');
    writeFileSync(file, functions.map((fn) => `---\n${JSON.stringify(fn)}\n`).join(''));
    return file;
  }

  it('renders with crossplane render: the Release of the chart into the claim namespace, and the status', async () => {
    const result = await GoTool.locate('crossplane').run(
      [
        'render',
        'xr.yaml',
        'composition.yaml',
        functionsFile(),
        '--xrd=xrd.yaml',
        '--include-function-results',
      ],
      { cwd: exampleDir },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const [xr, ...rest] = parse(result.stdout);
    const results = rest.filter((o) => o.kind === 'Result');
    const composed = rest.filter((o) => o.kind !== 'Result');

    // No fatal or warning result: the example is a valid claim and input.
    expect(results.filter((r) => r['severity'] !== 'SEVERITY_NORMAL')).toEqual([]);
    expect(xr?.kind).toBe('XRealtimePlatformClaim');
    expect(xr?.status).toMatchObject({
      ready: false,
      message: 'installing the realtime-platform chart into namespace apps',
      secrets: { kafka: 'health-data-kafka-secret', mqtt: 'health-data-mqtt-secret' },
    });

    expect(composed).toHaveLength(1);
    const release = composed[0] as KubeObject;
    expect(release.kind).toBe('Release');
    expect(release.metadata.annotations).toMatchObject({
      'crossplane.io/composition-resource-name': composeFunction.resources.platformRelease,
      'crossplane.io/external-name': 'health-data',
    });
    expect(release.spec).toMatchObject({
      rollbackLimit: 3,
      forProvider: {
        chart: { name: 'realtime-platform', version: '0.1.0' },
        namespace: 'apps',
        wait: true,
        waitTimeout: '15m',
        // The XRD's defaults, applied by --xrd as the API server applies them to a claim.
        values: { platform: { name: 'health-data', database: 'postgres' } },
      },
      writeConnectionSecretToRef: { name: 'health-data-realtime-connection', namespace: 'apps' },
    });
  });
});
