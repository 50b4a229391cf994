import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { secretIds, secretName } from '@realtime-platform/platform-contract';
import { Helm } from '@realtime-platform/toolchain';
import { useLocalCluster } from '../src/jest/index.js';
import type { KubeObject } from '../src/index.js';
import { platformSecrets } from './support/platform-secrets.js';

const cluster = useLocalCluster({});
const helm = Helm.locate();

const chartsDir = fileURLToPath(new URL('../../../charts/', import.meta.url));
const chart = join(chartsDir, 'realtime-platform');
const minimalValues = join(chartsDir, 'test', 'realtime-platform', 'values', 'minimal.yaml');
const namespace = 'direct';
const release = 'health-data';
const wait = ['--wait=watcher', '--wait-for-jobs', '--timeout=5m'];

const helmOnCluster = (args: string[], inNamespace = namespace) =>
  helm.run([...args, '--kubeconfig', cluster().kubeconfig, '-n', inNamespace]);

/** Every Secret the release made (not Helm's own release records), decoded. */
async function releaseSecrets(
  inNamespace = namespace,
): Promise<Record<string, Record<string, string>>> {
  const secrets = await cluster().kubectl.list<KubeObject & { data?: Record<string, string> }>(
    'secrets',
    { namespace: inNamespace },
  );
  return Object.fromEntries(
    secrets
      .filter((s) => !s.metadata.name.startsWith('sh.helm.release.'))
      .map((s) => [
        s.metadata.name,
        Object.fromEntries(
          Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
        ),
      ]),
  );
}

/**
 * The identity (uid) of every PersistentVolumeClaim and release Secret: an object deleted and made
 * again, even with the same data, gets a new uid, so equal maps mean the data was kept in place.
 */
async function dataObjects(): Promise<Record<string, string>> {
  const uids: Record<string, string> = {};
  for (const kind of ['pvc', 'secrets']) {
    for (const obj of await cluster().kubectl.list(kind, { namespace })) {
      if (obj.metadata.name.startsWith('sh.helm.release.')) continue;
      uids[`${kind}/${obj.metadata.name}`] = String(obj.metadata.uid);
    }
  }
  return uids;
}

/** The container names of the Kafka StatefulSet's pod template. */
async function kafkaContainers(): Promise<string[]> {
  const kafka = await cluster().kubectl.getJson<{
    spec: { template: { spec: { containers: { name: string }[] } } };
  }>('statefulset', `${release}-kafka`, namespace);
  return (kafka?.spec.template.spec.containers ?? []).map((c) => c.name);
}

async function jobs(inNamespace = namespace): Promise<{ name: string; complete: boolean }[]> {
  const list = await cluster().kubectl.list('jobs', { namespace: inNamespace });
  return list.map((job) => ({
    name: job.metadata.name,
    complete: ((job.status?.conditions ?? []) as { type: string; status: string }[]).some(
      (c) => c.type === 'Complete' && c.status === 'True',
    ),
  }));
}

describe('helm install of charts/realtime-platform on a real API server', () => {
  let installed: Record<string, Record<string, string>>;
  let installedData: Record<string, string>;

  beforeAll(async () => {
    await helmOnCluster([
      'install',
      release,
      chart,
      '--create-namespace',
      '-f',
      minimalValues,
      ...wait,
    ]);
    installed = await releaseSecrets();
    installedData = await dataObjects();
  }, 420_000);

  it('is deployed once its workloads are ready and every Job (hooks included) completed', async () => {
    const status = JSON.parse((await helmOnCluster(['status', release, '-o', 'json'])).stdout) as {
      info: { status: string };
      version: number;
    };
    expect([status.info.status, status.version]).toEqual(['deployed', 1]);
    const all = await jobs();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((job) => !job.complete)).toEqual([]);
  });

  it('renders the five secrets of the contract with generated, non-empty credentials', async () => {
    const { live, expected } = await platformSecrets(
      cluster().kubectl,
      { name: release },
      namespace,
    );
    expect(Object.keys(live).sort()).toEqual(secretIds.map((id) => secretName(release, id)).sort());
    for (const secret of expected)
      expect([secret.name, live[secret.name]]).toEqual([secret.name, secret.stringData]);
  });

  it('keeps every generated credential on helm upgrade (the chart reads them back with lookup)', async () => {
    await helmOnCluster([
      'upgrade',
      release,
      chart,
      '-f',
      minimalValues,
      '--set',
      'platform.dataRetention=30d',
      // Changes the Kafka StatefulSet's pod template (the JMX exporters): a rolling update of a
      // pod with a volume claim, as a chart upgrade that changes workloads is.
      '--set',
      'metrics.kafka.enabled=true',
      ...wait,
    ]);
    const status = JSON.parse((await helmOnCluster(['status', release, '-o', 'json'])).stdout) as {
      info: { status: string };
      version: number;
    };
    expect([status.info.status, status.version]).toEqual(['deployed', 2]);
    expect(await releaseSecrets()).toEqual(installed);
    expect((await jobs()).filter((job) => !job.complete)).toEqual([]);
  }, 420_000);

  it('keeps every PersistentVolumeClaim and Secret in place on upgrade (same objects, not recreated)', async () => {
    expect(Object.keys(installedData).filter((k) => k.startsWith('pvc/')).length).toBeGreaterThan(
      0,
    );
    const containers = await kafkaContainers();
    expect(containers).toContain('jmx-exporter-broker');
    expect(await dataObjects()).toEqual(installedData);
  });

  it('rolls back to the first revision, credentials unchanged', async () => {
    await helmOnCluster(['rollback', release, '1', ...wait]);
    const history = JSON.parse(
      (await helmOnCluster(['history', release, '-o', 'json'])).stdout,
    ) as {
      revision: number;
      status: string;
      description: string;
    }[];
    expect(history.map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
    expect(history[2]?.description).toBe('Rollback to 1');
    expect(await releaseSecrets()).toEqual(installed);
    // The rollback's StatefulSet is the first revision's again, on the same claims and Secrets.
    const containers = await kafkaContainers();
    expect(containers).toEqual(['kafka']);
    expect(await dataObjects()).toEqual(installedData);
  }, 420_000);

  it("leaves only the StatefulSets' PersistentVolumeClaims after helm uninstall (documented in the chart README)", async () => {
    const rendered = (
      await helm.run([
        ...['template', release, chart, '-n', namespace, '-f', minimalValues],
        // Only the volume claim templates are read: a preview without the cluster.
        ...['--set', 'credentials.renderWithoutCluster=generate'],
      ])
    ).stdout;
    const statefulSets = parseAllDocuments(rendered)
      .map((doc) => doc.toJSON() as KubeObject | null)
      .filter((o): o is KubeObject => o?.kind === 'StatefulSet');
    const expectedClaims = statefulSets
      .flatMap((sts) =>
        ((sts.spec?.volumeClaimTemplates ?? []) as { metadata: { name: string } }[]).map(
          (template) => `${template.metadata.name}-${sts.metadata.name}-0`,
        ),
      )
      .sort();
    expect(expectedClaims.length).toBeGreaterThan(0);
    await helmOnCluster(['uninstall', release, '--wait', '--timeout=5m']);
    const left = async (kind: string): Promise<string[]> =>
      (await cluster().kubectl.list(kind, { namespace })).map((o) => o.metadata.name).sort();
    expect(await left('pvc')).toEqual(expectedClaims);
    for (const kind of [
      'deployments',
      'statefulsets',
      'jobs',
      'services',
      'configmaps',
      'secrets',
    ]) {
      const names = (await left(kind)).filter((n) => n !== 'kube-root-ca.crt');
      expect([kind, names]).toEqual([kind, []]);
    }
    const accounts = (await left('serviceaccounts')).filter((n) => n !== 'default');
    expect(accounts).toEqual([]);
  }, 420_000);
});

describe('helm install with database: mysql and database: mongodb (beside the minimal one)', () => {
  // Both at once, each in its own namespace, on the cluster the minimal release ran on.
  const engines = [
    { database: 'mysql', namespace: 'with-mysql', port: '3306', scheme: 'mysql:' },
    { database: 'mongodb', namespace: 'with-mongodb', port: '27017', scheme: 'mongodb:' },
  ] as const;
  const fixture = (database: string) =>
    join(chartsDir, 'test', 'realtime-platform', 'values', `${database}.yaml`);

  beforeAll(async () => {
    await Promise.all(
      engines.map((engine) =>
        helmOnCluster(
          [
            'install',
            release,
            chart,
            '--create-namespace',
            '-f',
            fixture(engine.database),
            ...wait,
          ],
          engine.namespace,
        ),
      ),
    );
  }, 420_000);

  it.each(engines)(
    "$database: deployed once its workloads are ready, every Job complete, every PVC bound (its server's among them)",
    async (engine) => {
      const status = JSON.parse(
        (await helmOnCluster(['status', release, '-o', 'json'], engine.namespace)).stdout,
      ) as { info: { status: string } };
      expect(status.info.status).toBe('deployed');
      const all = await jobs(engine.namespace);
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((job) => !job.complete)).toEqual([]);
      const claims = await cluster().kubectl.list<KubeObject & { status?: { phase?: string } }>(
        'pvc',
        { namespace: engine.namespace },
      );
      expect(claims.map((c) => c.metadata.name)).toContain(`data-${release}-${engine.database}-0`);
      expect(claims.filter((c) => c.status?.phase !== 'Bound')).toEqual([]);
    },
  );

  it.each(engines)(
    '$database: the five secrets are what the contract renders; {name}-db-secret carries DB_TYPE, host, port and URL',
    async (engine) => {
      const { live, expected } = await platformSecrets(
        cluster().kubectl,
        { name: release, database: engine.database },
        engine.namespace,
      );
      for (const secret of expected)
        expect([secret.name, live[secret.name]]).toEqual([secret.name, secret.stringData]);
      const db = live[secretName(release, 'db')] ?? {};
      expect(db).toMatchObject({
        DB_TYPE: engine.database,
        DB_HOST: `${release}-${engine.database}.${engine.namespace}.svc.cluster.local`,
        DB_PORT: engine.port,
      });
      const url = new URL(db.DB_URL ?? '');
      expect([url.protocol, url.hostname, url.port]).toEqual([
        engine.scheme,
        db.DB_HOST,
        engine.port,
      ]);
    },
  );

  it.each(engines)(
    "$database: every host in the release's secrets resolves to one of its Services, on a port that Service serves",
    async (engine) => {
      const services = await cluster().kubectl.list<
        KubeObject & { spec?: { ports?: { port: number }[] } }
      >('services', { namespace: engine.namespace });
      const served = new Map(
        services.map((s) => [
          `${s.metadata.name}.${engine.namespace}.svc.cluster.local`,
          (s.spec?.ports ?? []).map((p) => String(p.port)),
        ]),
      );
      // Every endpoint a secret hands out: HOST with its PORT, and every URL's host and port.
      const endpoints = Object.entries(await releaseSecrets(engine.namespace)).flatMap(
        ([name, data]) =>
          Object.entries(data).flatMap(([key, value]) => {
            if (value === '') return [];
            if (key.endsWith('_HOST'))
              return [
                { at: `${name}/${key}`, host: value, port: data[key.replace(/_HOST$/, '_PORT')] },
              ];
            if (!key.endsWith('_URL')) return [];
            const url = new URL(value);
            return [{ at: `${name}/${key}`, host: url.hostname, port: url.port || undefined }];
          }),
      );
      expect(endpoints.map((e) => e.at)).toEqual(
        expect.arrayContaining([
          `${secretName(release, 'db')}/DB_HOST`,
          `${secretName(release, 'db')}/DB_URL`,
        ]),
      );
      for (const { at, host, port } of endpoints) {
        expect([at, host, served.has(host)]).toEqual([at, host, true]);
        if (port !== undefined)
          expect([at, served.get(host)]).toEqual([at, expect.arrayContaining([port])]);
      }
    },
  );
});
