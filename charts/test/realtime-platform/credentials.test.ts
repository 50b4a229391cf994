// Every credential of the platform is generated (and kept across `helm upgrade` through lookup) or
// taken from credentials.existingSecret: no fixed password anywhere.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeKubernetesApi } from '../support/fake-kubernetes-api.js';
import {
  renderChart,
  renderFailure,
  type KubernetesObject,
  type RenderedChart,
  type RenderOptions,
} from '../support/render-chart.js';
import { containersOf, workloadsOf } from '../support/workloads.js';

const chart = 'realtime-platform';
const namespace = 'apps';

/** The Secrets the chart generates values in, and their credential keys. */
const generated: Record<string, string[]> = {
  'health-data-mqtt-secret': ['MQTT_USERNAME', 'MQTT_PASSWORD'],
  // One Kafka principal per component; the applications' is {name}-kafka-secret's.
  'health-data-kafka-secret': ['KAFKA_PASSWORD'],
  'health-data-kafka-admin-secret': ['KAFKA_PASSWORD'],
  'health-data-kafka-bridge-secret': ['KAFKA_PASSWORD'],
  'health-data-kafka-connect-secret': ['KAFKA_PASSWORD'],
  'health-data-kafka-registry-secret': ['KAFKA_PASSWORD'],
  'health-data-db-secret': ['DB_USER', 'DB_PASSWORD'],
  'health-data-metabase-secret': ['DASHBOARD_USER', 'DASHBOARD_PASSWORD'],
  // The platform's own Secrets (platformSecretCatalog): applications never get them.
  'health-data-metabase-admin-secret': ['DASHBOARD_ADMIN_USER', 'DASHBOARD_ADMIN_PASSWORD'],
  'health-data-db-admin-secret': ['POSTGRES_PASSWORD'],
  'health-data-db-reader-secret': ['DB_USER', 'DB_PASSWORD'],
  'health-data-platform-credentials': [
    'METABASE_DB_PASSWORD',
    'MB_ENCRYPTION_SECRET_KEY',
    'GF_SECURITY_SECRET_KEY',
    'BACKUP_DB_PASSWORD',
  ],
  'health-data-lenses-hq-admin': ['password', 'passwordHash'],
  // The broker's other roles (the pod hashes every role's password from these Secrets).
  'health-data-mqtt-bridge-secret': ['MQTT_USERNAME', 'MQTT_PASSWORD'],
  'health-data-mqtt-gateway-secret': ['MQTT_USERNAME', 'MQTT_PASSWORD'],
};

/** Passwords that must never appear: well-known defaults and the requirements' demo values. */
const weakLiterals = ['admin', 'password', 'lenses', 'changeme', 'secret', 'user1', 'postgres'];

const renderLenses = (options: RenderOptions = {}) =>
  renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['lenses'], ...options });

describe('realtime-platform: no fixed credentials', () => {
  let first: RenderedChart;
  let second: RenderedChart;
  beforeAll(async () => {
    [first, second] = await Promise.all([renderLenses(), renderLenses()]);
  });

  it('generates every credential anew for each install', () => {
    for (const [secret, keys] of Object.entries(generated)) {
      for (const key of keys) {
        const a = first.secretData(secret)[key];
        expect(a).toBeTruthy();
        expect({ secret, key, value: a }).not.toEqual({
          secret,
          key,
          value: second.secretData(secret)[key],
        });
      }
    }
  });

  it('uses long random passwords and keys', () => {
    const data = (secret: string) => first.secretData(secret);
    for (const value of [
      data('health-data-db-secret').DB_PASSWORD,
      data('health-data-metabase-secret').DASHBOARD_PASSWORD,
      data('health-data-metabase-admin-secret').DASHBOARD_ADMIN_PASSWORD,
      data('health-data-lenses-hq-admin').password,
      data('health-data-mqtt-secret').MQTT_PASSWORD,
      data('health-data-kafka-secret').KAFKA_PASSWORD,
      data('health-data-kafka-admin-secret').KAFKA_PASSWORD,
      data('health-data-db-admin-secret').POSTGRES_PASSWORD,
      data('health-data-db-reader-secret').DB_PASSWORD,
      data('health-data-platform-credentials').METABASE_DB_PASSWORD,
    ]) {
      expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    }
    expect(data('health-data-platform-credentials').MB_ENCRYPTION_SECRET_KEY).toHaveLength(64);
  });

  it('holds a long random value in every password-like key of every Secret', () => {
    const weak: string[] = [];
    for (const secret of first.ofKind('Secret')) {
      for (const [key, value] of Object.entries(first.secretData(secret.metadata.name))) {
        if (!/pass|secret|key$/i.test(key)) continue;
        if (value.length < 16 || weakLiterals.some((literal) => value.toLowerCase() === literal)) {
          weak.push(`${secret.metadata.name} ${key}`);
        }
      }
    }
    expect(weak).toEqual([]);
  });

  it('gives no container a password or key as a literal environment value', () => {
    const literal = workloadsOf(first).flatMap((workload) =>
      containersOf(workload.template).flatMap((container) =>
        (container.env ?? [])
          .filter(
            (env) =>
              /(PASSWORD|_PASS|_TOKEN)$|ENCRYPTION|SECURITY_SECRET/.test(env.name) &&
              env.value !== undefined,
          )
          .map((env) => `${workload.name} ${container.name} ${env.name}`),
      ),
    );
    expect(literal).toEqual([]);
  });

  it('puts no credential into a ConfigMap, an environment value or the connector configuration', () => {
    const secrets = Object.entries(generated).flatMap(([secret, keys]) =>
      keys.map((key) => first.secretData(secret)[key] ?? ''),
    );
    const plain = first.objects.filter((obj) => obj.kind !== 'Secret');
    const text = JSON.stringify(plain);
    for (const value of secrets.filter((v) => v.length >= 16)) {
      expect(text.includes(value)).toBe(false);
    }
  });
});

describe('realtime-platform: credentials across helm upgrade (lookup against a fake API server)', () => {
  let cluster: FakeKubernetesApi;
  let installed: RenderedChart;
  const render = (values: Record<string, unknown>[] = [], isUpgrade = true) =>
    renderLenses({ values, isUpgrade, cluster });

  beforeAll(async () => {
    cluster = await FakeKubernetesApi.start();
    installed = await render([], false);
    cluster.apply(installed.objects, namespace);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('keeps every generated credential, the password file and the bcrypt hash on upgrade', async () => {
    const upgraded = await render();
    for (const secret of Object.keys(generated)) {
      expect({ secret, data: upgraded.secretData(secret) }).toEqual({
        secret,
        data: installed.secretData(secret),
      });
    }
  });

  it('keeps the pods unchanged on a plain upgrade (same checksums)', async () => {
    const upgraded = await render();
    const annotations = (r: RenderedChart, kind: string, name: string) =>
      r.podTemplate(kind, name).metadata.annotations ?? {};
    for (const [kind, name] of [
      ['StatefulSet', 'health-data-mqtt'],
      ['Deployment', 'health-data-metabase'],
    ] as const) {
      expect(annotations(upgraded, kind, name)).toEqual(annotations(installed, kind, name));
    }
  });

  it('keeps the credentials when the claim changes around them (visualization, Lenses off)', async () => {
    const upgraded = await renderChart(chart, {
      releaseName: 'platform',
      namespace,
      fixtures: ['minimal'],
      values: [{ platform: { visualization: 'grafana' } }],
      isUpgrade: true,
      cluster,
    });
    expect(upgraded.secretData('health-data-db-secret')).toEqual(
      installed.secretData('health-data-db-secret'),
    );
    const dashboard = upgraded.secretData('health-data-metabase-secret');
    const before = installed.secretData('health-data-metabase-secret');
    expect([dashboard.DASHBOARD_USER, dashboard.DASHBOARD_PASSWORD]).toEqual([
      before.DASHBOARD_USER,
      before.DASHBOARD_PASSWORD,
    ]);
    for (const secret of ['health-data-metabase-admin-secret', 'health-data-db-admin-secret']) {
      expect(upgraded.secretData(secret)).toEqual(installed.secretData(secret));
    }
  });
});

describe('realtime-platform: upgrading from a chart that kept the admins in the shared Secrets', () => {
  it('keeps the superuser and dashboard admin passwords, now in Secrets applications never get', async () => {
    const cluster = await FakeKubernetesApi.start();
    const encode = (data: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      );
    try {
      const old: (KubernetesObject & { data: Record<string, string> })[] = [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'health-data-platform-credentials' },
          data: encode({ POSTGRES_PASSWORD: 'the-old-superuser-password-01' }),
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'health-data-metabase-secret' },
          data: encode({
            DASHBOARD_ADMIN_USER: 'admin-old@health-data.local',
            DASHBOARD_ADMIN_PASSWORD: 'the-old-dashboard-password-02',
          }),
        },
      ];
      cluster.apply(old, namespace);
      const upgraded = await renderChart(chart, {
        releaseName: 'platform',
        namespace,
        fixtures: ['minimal'],
        isUpgrade: true,
        cluster,
      });
      // PostgreSQL's data directory keeps the old superuser password: a new one would lock it out.
      expect(upgraded.secretData('health-data-db-admin-secret')).toEqual({
        POSTGRES_PASSWORD: 'the-old-superuser-password-01',
      });
      expect(upgraded.secretData('health-data-metabase-admin-secret')).toEqual({
        DASHBOARD_ADMIN_USER: 'admin-old@health-data.local',
        DASHBOARD_ADMIN_PASSWORD: 'the-old-dashboard-password-02',
      });
      expect(Object.keys(upgraded.secretData('health-data-metabase-secret')).sort()).toEqual([
        'DASHBOARD_PASSWORD',
        'DASHBOARD_TYPE',
        'DASHBOARD_URL',
        'DASHBOARD_USER',
      ]);
      expect(upgraded.secretData('health-data-platform-credentials')).not.toHaveProperty(
        'POSTGRES_PASSWORD',
      );
    } finally {
      await cluster.close();
    }
  });
});

describe('realtime-platform: credentials.existingSecret', () => {
  let cluster: FakeKubernetesApi;
  beforeAll(async () => {
    cluster = await FakeKubernetesApi.start();
    const chosen: KubernetesObject & { data: Record<string, string> } = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'chosen-credentials' },
      data: Object.fromEntries(
        Object.entries({
          DB_USER: 'clinic_app',
          DB_PASSWORD: 'chosen-db-password-0001',
          DASHBOARD_ADMIN_PASSWORD: 'chosen-dashboard-password-0002',
          MQTT_USERNAME: 'clinic-gateway',
          MQTT_PASSWORD: 'chosen-mqtt-password-0003',
          POSTGRES_PASSWORD: 'chosen-superuser-password-0004',
          KAFKA_PASSWORD: 'chosen-kafka-app-password-0005',
        }).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      ),
    };
    cluster.apply([chosen], namespace);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('takes the credentials it holds and generates the others', async () => {
    const render = await renderChart(chart, {
      releaseName: 'platform',
      namespace,
      fixtures: ['minimal'],
      values: [{ credentials: { existingSecret: 'chosen-credentials' } }],
      cluster,
    });
    expect(render.secretData('health-data-db-secret')).toMatchObject({
      DB_USER: 'clinic_app',
      DB_PASSWORD: 'chosen-db-password-0001',
    });
    expect(render.secretData('health-data-mqtt-secret')).toMatchObject({
      MQTT_USERNAME: 'clinic-gateway',
      MQTT_PASSWORD: 'chosen-mqtt-password-0003',
    });
    // The broker's pod hashes the app role's password from {name}-mqtt-secret (iot-broker's
    // mosquitto.test.ts logs in with it on a real Mosquitto).
    expect(
      (
        render.podTemplate('StatefulSet', 'health-data-mqtt').spec.volumes as {
          name: string;
          projected?: { sources: { secret: { name: string } }[] };
        }[]
      ).find((volume) => volume.name === 'roles')?.projected?.sources[0]?.secret.name,
    ).toBe('health-data-mqtt-secret');
    expect(render.secretData('health-data-db-admin-secret').POSTGRES_PASSWORD).toBe(
      'chosen-superuser-password-0004',
    );
    expect(render.secretData('health-data-kafka-secret')).toMatchObject({
      KAFKA_USERNAME: 'app',
      KAFKA_PASSWORD: 'chosen-kafka-app-password-0005',
    });
    // Only the applications' principal can be chosen: the platform's own stay generated.
    expect(render.secretData('health-data-kafka-admin-secret').KAFKA_PASSWORD).toMatch(
      /^[A-Za-z0-9]{32}$/,
    );
    const dashboard = render.secretData('health-data-metabase-admin-secret');
    expect(dashboard.DASHBOARD_ADMIN_PASSWORD).toBe('chosen-dashboard-password-0002');
    expect(dashboard.DASHBOARD_ADMIN_USER).toMatch(/^admin-[a-z0-9]{6}@health-data\.local$/);
  });

  it('fails with a message naming the value when the Secret does not exist', async () => {
    const message = await renderFailure(chart, {
      namespace,
      fixtures: ['minimal'],
      values: [{ credentials: { existingSecret: 'no-such-secret' } }],
    });
    expect(message).toMatch(
      /existingSecret: Secret "no-such-secret" was not found in namespace "apps"/,
    );
  });
});
