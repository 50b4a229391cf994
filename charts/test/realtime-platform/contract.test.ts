// The chart against @realtime-platform/platform-contract, the single source of truth: Secret names,
// keys and values, Service names and ports, topics, databases, and the claim schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  databaseCatalog,
  conditionHolds,
  deviceDataTopic,
  deviceMqttTopic,
  parseClaimSpec,
  planTopics,
  runtimeEnv,
  runtimeEnvSetBy,
  secretEnvFrom,
  secretName,
  kafkaPrincipalSecretName,
  type RealtimePlatformSpecInput,
} from '@realtime-platform/platform-contract';
import { parse } from 'yaml';
import { renderEachFixture } from '../support/fixture-renders.js';
import {
  endpointProblems,
  expectedSecrets,
  platformModel,
} from '../support/platform-contract-check.js';
import { claimSchemaJson, unknownClaimFieldsRule } from '../support/platform-values-schema.js';
import {
  chartPath,
  renderChart,
  valuesFixture,
  type RenderedChart,
} from '../support/render-chart.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const fixtures = [
  'minimal',
  'every-option',
  'iot-disabled',
  'grafana',
  'snowflake',
  'lenses',
  'kafka-cluster',
  'mysql',
  'mongodb',
] as const;
type Fixture = (typeof fixtures)[number];

/** The claim a fixture holds: its `platform` values. */
const claimOf = (fixture: Fixture): RealtimePlatformSpecInput =>
  (
    parse(readFileSync(valuesFixture(chart, fixture), 'utf8')) as {
      platform: RealtimePlatformSpecInput;
    }
  ).platform;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'platform', namespace });

describe('realtime-platform: the five Secrets of the contract', () => {
  it.each(fixtures)(
    'renders exactly the contract five Secrets with exactly its keys and values (%s values)',
    (fixture) => {
      const model = platformModel(claimOf(fixture), namespace);
      for (const secret of expectedSecrets(renders[fixture], model)) {
        expect({ name: secret.name, data: renders[fixture].secretData(secret.name) }).toEqual({
          name: secret.name,
          data: secret.stringData,
        });
      }
    },
  );

  it.each(fixtures)(
    'resolves every host in every Secret to a rendered Service on the contract port (%s values)',
    (fixture) => {
      expect(
        endpointProblems(renders[fixture], platformModel(claimOf(fixture), namespace)),
      ).toEqual([]);
    },
  );

  it("publishes a generated applications' user, never a device of platform.mqttUsers, and generated credentials elsewhere", () => {
    const mqtt = renders['every-option'].secretData('health-data-mqtt-secret');
    expect(mqtt.MQTT_USERNAME).toMatch(/^app-[a-z0-9]{8}$/);
    expect(mqtt.MQTT_PASSWORD).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(Object.values(mqtt).join()).not.toContain('fixture-device-password');
    // The devices are users of the broker, bound to their own topic.
    expect(renders['every-option'].secretData('health-data-mqtt-passwd').acl).toContain(
      'user ward-7-monitor\ntopic write health/device_data/ward-7-monitor\n',
    );
    const db = renders.minimal.secretData('health-data-db-secret');
    expect(db.DB_USER).toMatch(/^app_[a-z]{8}$/);
    expect(db.DB_PASSWORD).toMatch(/^[A-Za-z0-9]{28}[0-9]{4}$/);
  });

  it('describes Grafana in {name}-metabase-secret when it is the dashboard', () => {
    expect(renders.grafana.secretData('health-data-metabase-secret')).toMatchObject({
      DASHBOARD_TYPE: 'grafana',
      DASHBOARD_URL: 'http://health-data-grafana.apps.svc.cluster.local:3000',
    });
  });

  it('gives Lenses HQ its administrator in {name}-lenses-hq-admin (bcrypt hash of its password), never in {name}-lenses-secret', async () => {
    const { default: bcrypt } = await import('bcryptjs');
    const lenses = renders.lenses.secretData('health-data-lenses-secret');
    const admin = renders.lenses.secretData('health-data-lenses-hq-admin');
    expect(Object.keys(lenses).sort()).toEqual(['LENSES_ENABLED', 'LENSES_URL']);
    expect(admin.username).toMatch(/\S/);
    expect(admin.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(bcrypt.compareSync(admin.password ?? '', admin.passwordHash ?? '')).toBe(true);
    expect(Object.values(lenses)).not.toContain(admin.password);
  });

  it('injects the five Secrets in the order of the contract secretEnvFrom, the kafka one being the service’s own principal’s', () => {
    const template = renders.minimal.podTemplate('Deployment', 'health-data-stream-processor');
    const envFrom = (template.spec.containers[0] as { envFrom?: unknown[] }).envFrom;
    expect(envFrom).toEqual(
      secretEnvFrom('health-data').map((source) =>
        source.secretRef.name === secretName('health-data', 'kafka')
          ? { secretRef: { name: kafkaPrincipalSecretName('health-data', 'stream') } }
          : source,
      ),
    );
  });

  it('passes the built-in services exactly the runtime variables the contract says the chart sets', async () => {
    const envOf = (
      render: RenderedChart,
      kind: string,
      workload: string,
    ): Record<string, string | undefined> =>
      Object.fromEntries(
        (
          render.podTemplate(kind, workload).spec.containers[0] as {
            env?: { name: string; value?: string }[];
          }
        ).env?.map((variable) => [variable.name, variable.value]) ?? [],
      );
    const bridge = envOf(renders.minimal, 'StatefulSet', 'health-data-bridge');
    const processor = envOf(renders.minimal, 'Deployment', 'health-data-stream-processor');
    // Two bridge replicas share their subscription; one subscribes on its own (it survives a
    // Mosquitto restart, a shared subscription does not).
    const sharedBridge = envOf(
      await renderChart(chart, {
        namespace,
        fixtures: ['minimal'],
        values: [{ builtin: { mqttBridge: { replicas: 2 } } }],
      }),
      'StatefulSet',
      'health-data-bridge',
    );
    const names = new Set([
      ...Object.keys(bridge),
      ...Object.keys(sharedBridge),
      ...Object.keys(processor),
    ]);
    expect([...names].sort()).toEqual([...runtimeEnvSetBy('chart')].sort());
    expect(bridge).toEqual({
      [runtimeEnv.serviceName]: 'mqtt-bridge',
      [runtimeEnv.platformName]: 'health-data',
      [runtimeEnv.httpPort]: '8080',
      [runtimeEnv.mqttTopic]: deviceMqttTopic,
      [runtimeEnv.outputTopic]: deviceDataTopic,
    });
    expect(sharedBridge).toEqual({
      ...bridge,
      [runtimeEnv.mqttSharedGroup]: 'health-data-mqtt-bridge',
    });
    expect(processor).toEqual({
      [runtimeEnv.serviceName]: 'stream-processor',
      [runtimeEnv.platformName]: 'health-data',
      [runtimeEnv.httpPort]: '8080',
      [runtimeEnv.topics]: deviceDataTopic,
      [runtimeEnv.consumerMode]: 'shared',
      [runtimeEnv.consumerGroup]: 'health-data-stream-processor',
    });
  });
});

describe('realtime-platform: topics and databases of the contract', () => {
  const topicsOf = (render: RenderedChart) =>
    (render.configMapData('health-data-topics')['topics.txt'] ?? '')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));

  it.each(fixtures)(
    'plans exactly the topics of the contract planTopics (%s values)',
    (fixture) => {
      const plan = planTopics(parseClaimSpec(claimOf(fixture)));
      expect(topicsOf(renders[fixture])).toEqual(
        plan.map((topic) => [topic.name, String(topic.partitions), String(topic.retentionMs)]),
      );
    },
  );

  it('takes retention from dataRetention and declared topics, partitions from declared topics', () => {
    const topics = Object.fromEntries(
      topicsOf(renders['every-option']).map(([n, p, r]) => [n, [p, r]]),
    );
    expect(topics.device_data).toEqual(['12', String(14 * 86_400_000)]);
    expect(topics['device_data.dlq']).toEqual(['1', String(14 * 86_400_000)]);
    expect(topics.heart_rate_device_topic).toEqual(['6', String(30 * 86_400_000)]);
    expect(topics.vitals_audit).toEqual(['3', String(30 * 86_400_000)]);
    expect(topics.long_term_trends).toEqual(['6', String(6 * 30 * 86_400_000)]);
  });

  it.each([['1d'], ['52w'], ['120m'], ['0d'], ['3474999m']])(
    'converts dataRetention %s exactly like the contract retentionToMs',
    async (retention) => {
      const render = await renderChart(chart, {
        namespace,
        fixtures: ['minimal'],
        values: [{ platform: { dataRetention: retention } }],
      });
      const plan = planTopics(parseClaimSpec({ name: 'health-data', dataRetention: retention }));
      expect(topicsOf(render)[0]).toEqual(['device_data', '6', String(plan[0]?.retentionMs)]);
    },
  );

  it.each(fixtures)('creates exactly the contract databases (%s values)', (fixture) => {
    const spec = parseClaimSpec(claimOf(fixture));
    const sql = renders[fixture].configMapData('health-data-postgresql-init')['init.sql'] ?? '';
    const created = [...sql.matchAll(/CREATE DATABASE %I OWNER %I', '([a-z0-9_]+)'/g)].map(
      (m) => m[1],
    );
    expect(created).toEqual(
      databaseCatalog.filter((db) => conditionHolds(db.enabledWhen, spec)).map((db) => db.name),
    );
  });
});

describe('realtime-platform: values.schema.json and the claim schema', () => {
  const schema = JSON.parse(readFileSync(join(chartPath(chart), 'values.schema.json'), 'utf8')) as {
    properties: { platform: unknown };
    allOf: unknown[];
  };

  it('embeds the contract claimSpecSchema unchanged as the schema of platform', () => {
    expect(schema.properties.platform).toEqual(claimSchemaJson());
  });

  it('refuses unknown claim fields with names taken from the contract schema', () => {
    expect(schema.allOf).toContainEqual(
      expect.objectContaining(unknownClaimFieldsRule() as Record<string, unknown>),
    );
  });

  it('defaults every platform value exactly as the contract parseClaimSpec does', () => {
    const values = parse(readFileSync(join(chartPath(chart), 'values.yaml'), 'utf8')) as {
      platform: Record<string, unknown>;
    };
    expect(parseClaimSpec({ name: 'x' })).toEqual({ name: 'x', ...values.platform });
  });
});
