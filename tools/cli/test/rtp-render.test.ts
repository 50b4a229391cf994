import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  crossplaneValidate,
  parseManifests,
  renderAddonTemplate,
  type KubeObject,
} from '@realtime-platform/app-render';
import { secretEnvFrom } from '@realtime-platform/platform-contract';
import { kubernetesProblems } from '@realtime-platform/toolchain';
import { parse } from 'yaml';
import { exampleAddonOptions, examplesDir, rtp } from './support/rtp-process.js';

// `rtp render` as a user runs it, on every example of addons/examples: the manifests it writes
// are valid against their schemas (the official Kubernetes schemas for Kubernetes kinds, the
// addon's XRDs for claims and composites, by crossplane beta validate) and hold what each example
// must become.

const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.yaml'));
const scratch = mkdtempSync(join(tmpdir(), 'rtp-render-test-'));
let xrds: KubeObject[];

/** Every file under dir (relative path → its one object). */
function readTree(dir: string): Record<string, KubeObject> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(entry.parentPath, entry.name));
  return Object.fromEntries(
    files.map((file) => [relative(dir, file), parse(readFileSync(file, 'utf8')) as KubeObject]),
  );
}

const refs = (objects: KubeObject[]): string[] =>
  objects.map((o) => `${o.kind}/${o.metadata.name}`);
const isPlatformApi = (o: KubeObject) => o.apiVersion.startsWith('platform.example.org/');
const isRelease = (o: KubeObject) => o.apiVersion.startsWith('helm.crossplane.io/');

interface Rendered {
  dir: string;
  files: Record<string, KubeObject>;
  objects: KubeObject[];
  summary: string;
}
const rendered: Record<string, Rendered> = {};

async function renderExample(example: string): Promise<Rendered> {
  const dir = join(scratch, example);
  const result = await rtp([
    'render',
    join(examplesDir, example),
    '-o',
    dir,
    ...(exampleAddonOptions[example] ?? []),
  ]);
  if (result.exitCode !== 0) throw new Error(`rtp render ${example}: ${result.stderr}`);
  const files = readTree(dir);
  return { dir, files, objects: Object.values(files), summary: result.stdout };
}

beforeAll(async () => {
  // The XRDs do not depend on the namespaces provider-helm is bound in; one is required.
  const addon = await renderAddonTemplate({
    chartRepository: 'https://charts.example.test/rtp',
    providerHelm: { tenantNamespaces: ['apps'] },
  });
  if (!addon.ok) throw new Error(addon.stderr);
  xrds = addon.rendered.objects.filter((o) => o.kind === 'CompositeResourceDefinition');
  // One after the other: each render starts the composition functions and runs helm.
  for (const example of examples) rendered[example] = await renderExample(example);
}, 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rtp render -o: every example of addons/examples', () => {
  it('knows the addon options of examples that exist', () => {
    expect(examples).toEqual(expect.arrayContaining(Object.keys(exampleAddonOptions)));
  });

  for (const example of examples) {
    describe(example, () => {
      it('writes one file per object under the stage folders and summarises them', () => {
        const { files, summary } = rendered[example] as Rendered;
        for (const path of Object.keys(files)) {
          expect(path).toMatch(
            /^(10-application|20-claims)\/[a-z0-9.-]+\.yaml$|^(30-composed|40-helm)\/[a-z0-9.-]+\/[a-z0-9.-]+\.yaml$/,
          );
        }
        expect(summary).toContain(`rendered ${join(examplesDir, example)} into `);
        const count = Object.keys(files).length;
        expect(summary).toContain(`(${count} object${count === 1 ? '' : 's'}, offline)`);
      });

      it('writes every Secret readable by its owner only (mode 0600), and says so', () => {
        const { dir, files, summary } = rendered[example] as Rendered;
        const secrets = Object.keys(files).filter((path) => files[path]?.kind === 'Secret');
        const modes = secrets.map((path) => [path, statSync(join(dir, path)).mode & 0o777]);
        expect(modes).toEqual(secrets.map((path) => [path, 0o600]));
        const n = secrets.length;
        // Every chart render holds Secrets (the generated credentials).
        if (Object.keys(files).some((path) => path.startsWith('40-helm/'))) {
          expect(n).toBeGreaterThan(0);
        }
        expect(summary).toContain(`${n} Secret${n === 1 ? '' : 's'} written with mode 0600`);
      });

      it('gives Kubernetes objects that the official Kubernetes schemas accept', async () => {
        const { objects } = rendered[example] as Rendered;
        const kubernetes = objects.filter((o) => !isPlatformApi(o) && !isRelease(o));
        expect(kubernetes.length).toBeGreaterThan(0);
        expect(await kubernetesProblems(kubernetes)).toEqual([]);
      });

      it("gives claims and composites that the addon's XRDs accept (crossplane beta validate)", async () => {
        const { objects } = rendered[example] as Rendered;
        const platform = objects.filter(isPlatformApi);
        if (platform.length === 0) return;
        const result = await crossplaneValidate(xrds, platform);
        expect(result.output).toContain(`${platform.length} success cases, 0 failure cases`);
        expect(result.exitCode).toBe(0);
      });

      it('leaves only provider-helm Releases without a schema check (its CRD is not available offline)', () => {
        const { files } = rendered[example] as Rendered;
        const unchecked = Object.entries(files).filter(([, o]) => isRelease(o));
        for (const [path, release] of unchecked) {
          expect(path).toMatch(/^30-composed\//);
          expect(release.kind).toBe('Release');
          expect(release.spec.forProvider).toMatchObject({
            chart: { name: expect.any(String), version: expect.any(String) },
            namespace: expect.any(String),
            wait: true,
          });
        }
      });
    });
  }
});

describe('rtp render: what each example becomes', () => {
  const objectsOf = (example: string, stage: string): KubeObject[] =>
    Object.entries((rendered[example] as Rendered).files)
      .filter(([path]) => path.startsWith(`${stage}/`))
      .map(([, object]) => object);
  const find = (objects: KubeObject[], kind: string, name: string): KubeObject => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind}/${name} in ${refs(objects).join(', ')}`);
    return found;
  };
  const image = (workload: KubeObject): string => workload.spec.template.spec.containers[0].image;

  it("user-flow: the webservice Deployment loads the platform's five Secrets with envFrom; claim, Release and the chart's Kafka, Mosquitto and PostgreSQL", () => {
    const app = objectsOf('user-flow.app.yaml', '10-application');
    const deployment = find(app, 'Deployment', 'health-app');
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual(
      secretEnvFrom('health-data'),
    );
    expect(refs(objectsOf('user-flow.app.yaml', '20-claims'))).toEqual([
      'RealtimePlatformClaim/health-data-realtime',
    ]);
    const composed = objectsOf('user-flow.app.yaml', '30-composed');
    expect(composed.map((o) => o.kind).sort()).toEqual(['Release', 'XRealtimePlatformClaim']);
    const release = find(composed, 'Release', 'health-data-realtime-x7k2p');
    expect(release.spec.forProvider.chart.name).toBe('realtime-platform');
    const chart = objectsOf('user-flow.app.yaml', '40-helm');
    expect(image(find(chart, 'StatefulSet', 'health-data-kafka'))).toMatch(/fast-data-dev/);
    expect(image(find(chart, 'StatefulSet', 'health-data-mqtt'))).toMatch(/mosquitto/);
    expect(image(find(chart, 'StatefulSet', 'health-data-postgresql'))).toMatch(/postgres/);
    // The Secrets the web service loads are the ones the chart creates.
    for (const { secretRef } of secretEnvFrom('health-data')) {
      find(chart, 'Secret', secretRef.name);
    }
  });

  it('minimal: only a platform (claim, composite, Release, chart)', () => {
    expect(objectsOf('minimal.app.yaml', '10-application')).toEqual([]);
    expect(refs(objectsOf('minimal.app.yaml', '20-claims'))).toEqual([
      'RealtimePlatformClaim/health-data-realtime',
    ]);
    const composite = objectsOf('minimal.app.yaml', '30-composed').find((o) =>
      o.kind.startsWith('X'),
    ) as KubeObject;
    expect(Object.keys(composite.status.secrets).sort()).toEqual([
      'database',
      'kafka',
      'lenses',
      'metabase',
      'mqtt',
    ]);
    find(objectsOf('minimal.app.yaml', '40-helm'), 'Deployment', 'health-data-metabase');
  });

  it('every-option: Grafana instead of Metabase and the Lenses subcharts', () => {
    const chart = objectsOf('every-option.app.yaml', '40-helm');
    expect(refs(chart)).toEqual(
      expect.arrayContaining(['Service/clinic-grafana', 'Service/clinic-lenses-hq']),
    );
    expect(refs(chart)).not.toContain('Service/clinic-metabase');
  });

  it.each([
    ['mysql', 'mysql', '3306', 'mysql://'],
    ['mongodb', 'mongodb', '27017', 'mongodb://'],
  ])(
    '%s: the claim carries database %s; the chart runs its server beside PostgreSQL and the db secret points at it',
    (engine, database, port, scheme) => {
      const example = `${engine}.app.yaml`;
      const claim = find(
        objectsOf(example, '20-claims'),
        'RealtimePlatformClaim',
        'health-data-realtime',
      );
      expect(claim.spec.database).toBe(database);
      const chart = objectsOf(example, '40-helm');
      find(chart, 'StatefulSet', `health-data-${engine}`);
      find(chart, 'StatefulSet', 'health-data-postgresql');
      find(chart, 'Service', `health-data-${engine}`);
      const secret = find(chart, 'Secret', 'health-data-db-secret');
      const data = Object.fromEntries(
        Object.entries(secret.data as Record<string, string>).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString('utf8'),
        ]),
      );
      expect(data).toMatchObject({
        DB_TYPE: database,
        DB_HOST: `health-data-${engine}.apps.svc.cluster.local`,
        DB_PORT: port,
      });
      expect(data.DB_URL?.startsWith(scheme)).toBe(true);
    },
  );

  it('iot-broker: an IotBrokerClaim and the iot-broker chart (Mosquitto alone)', () => {
    expect(refs(objectsOf('iot-broker.app.yaml', '20-claims'))).toEqual([
      'IotBrokerClaim/ward-devices-iot',
    ]);
    const chart = objectsOf('iot-broker.app.yaml', '40-helm');
    expect(image(find(chart, 'StatefulSet', 'ward-devices-mqtt'))).toMatch(/mosquitto/);
    expect(chart.filter((o) => o.kind === 'StatefulSet')).toHaveLength(1);
  });

  it('user-flow-realtime-webservice: the three realtime workloads besides the platform', () => {
    const app = objectsOf('user-flow-realtime-webservice.app.yaml', '10-application');
    for (const name of ['health-app', 'health-worker', 'health-feed']) {
      expect(find(app, 'Deployment', name).spec.template.spec.containers[0].envFrom).toEqual(
        expect.arrayContaining(secretEnvFrom('health-data')),
      );
    }
  });

  it('trait-on-existing-deployment and plain-webservice: workloads only, nothing composed', () => {
    for (const example of ['trait-on-existing-deployment.app.yaml', 'plain-webservice.app.yaml']) {
      const { files } = rendered[example] as Rendered;
      expect(Object.keys(files).every((path) => path.startsWith('10-application/'))).toBe(true);
    }
  });
});

describe('rtp render to stdout', () => {
  it('prints the same objects as one multi-document YAML, each headed by its path', async () => {
    const result = await rtp([
      'render',
      join(examplesDir, 'user-flow.app.yaml'),
      '--set',
      'overrideWebservice=true',
    ]);
    expect(result.exitCode).toBe(0);
    const sources = [...result.stdout.matchAll(/^# Source: (\S+)$/gm)].map((m) => m[1]);
    const files = (rendered['user-flow.app.yaml'] as Rendered).files;
    expect(sources.sort()).toEqual(Object.keys(files).sort());
    expect(refs(parseManifests(result.stdout)).sort()).toEqual(refs(Object.values(files)).sort());
  });
});

describe('rtp render: offline, refusals and usage', () => {
  let cluster: Server;
  let connections = 0;
  beforeAll(async () => {
    cluster = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => cluster.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => cluster.close(resolve)));

  it('never contacts a cluster, even with a kubeconfig pointing at a reachable API server', async () => {
    const address = cluster.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const kubeconfig = join(scratch, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
        users: [{ name: 'u', user: { token: 't' } }],
      }),
    );
    const result = await rtp(['render', join(examplesDir, 'minimal.app.yaml')], {
      KUBECONFIG: kubeconfig,
    });
    expect(result.exitCode).toBe(0);
    expect(connections).toBe(0);
  });

  it('exits 3 when a chart refuses the values, naming the component, the value and the addon option', async () => {
    const result = await rtp(['render', join(examplesDir, 'every-option.app.yaml')]);
    expect(result.stderr).toContain('component "clinic-pipeline": chart realtime-platform');
    expect(result.stderr).toContain("at '/lenses-hq/license/acceptEULA': value must be true");
    expect(result.stderr).toContain('--set lenses.acceptEULA=true');
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(3);
  });

  it('exits 3 on an invalid Application, with the problems validate reports', async () => {
    const result = await rtp(['render', join(examplesDir, 'invalid', 'database-oracle.app.yaml')]);
    expect(result.stderr).toContain(
      'component "health-pipeline": properties.database: must be one of "postgres", "mysql", "mongodb", got "oracle"',
    );
    expect(result.exitCode).toBe(3);
  });

  it('replaces the stage folders of an earlier render and leaves other files alone', async () => {
    const dir = join(scratch, 'rerender');
    mkdirSync(join(dir, '40-helm', 'stale'), { recursive: true });
    writeFileSync(join(dir, '40-helm', 'stale', 'secret-old.yaml'), 'kind: Secret\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const result = await rtp(['render', join(examplesDir, 'iot-broker.app.yaml'), '-o', dir]);
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(dir, '40-helm', 'stale'))).toBe(false);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, '40-helm', 'ward-devices'))).toBe(true);
  });

  it('--help exits 0 with the usage, the stages and the exit codes', async () => {
    const result = await rtp(['render', '--help']);
    expect(result.stdout).toMatch(/^Usage: rtp render <app.yaml> \[-o <dir>\]/);
    expect(result.stdout).toContain('Exit codes: 0 rendered');
    expect(result.exitCode).toBe(0);
  });

  it('a missing file is a usage error (exit 2), naming the file', async () => {
    const result = await rtp(['render', 'no-such.app.yaml']);
    expect(result.stderr).toContain('rtp render: no such file: no-such.app.yaml');
    expect(result.exitCode).toBe(2);
  });

  it('--set without key=value is a usage error (exit 2)', async () => {
    const result = await rtp(['render', join(examplesDir, 'minimal.app.yaml'), '--set', 'oops']);
    expect(result.stderr).toContain('--set expects key=value, got "oops"');
    expect(result.exitCode).toBe(2);
  });

  it('without the Go-built tools exits 1 and says how to build them', async () => {
    const emptyCache = mkdtempSync(join(tmpdir(), 'rtp-empty-cache-'));
    try {
      const result = await rtp(['render', join(examplesDir, 'minimal.app.yaml')], {
        RTP_CACHE_DIR: emptyCache,
      });
      expect(result.stderr).toContain('npm run setup -- --with-go-tools builds it');
      expect(result.exitCode).toBe(1);
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });
});
