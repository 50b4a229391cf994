// Values the chart must refuse, each with a message naming the value: the claim schema of the
// contract (values.schema.json), its CEL rules (as JSON Schema and in the template), and what only
// the template can check.
import { describe, expect, it } from '@jest/globals';
import { renderFailure } from '../support/render-chart.js';

const chart = 'realtime-platform';
const namespace = 'apps';

const failureOf = (values: Record<string, unknown>, fixtures = ['minimal']) =>
  renderFailure(chart, { namespace, fixtures, values: [values] });

describe('realtime-platform: invalid values files', () => {
  it.each([
    ['invalid-retention-7x', "at '/platform/dataRetention': '7x' does not match pattern"],
    [
      'invalid-visualization-tableau',
      "at '/platform/visualization': value must be one of 'metabase', 'grafana'",
    ],
    ['invalid-no-name', "at '/platform': missing property 'name'"],
  ])('refuses %s with a message naming the value', async (fixture, expected) => {
    const message = await renderFailure(chart, { namespace, fixtures: [fixture] });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain(expected);
  });

  it('refuses Lenses while the EULA is not accepted, naming both acceptEULA values', async () => {
    const message = await renderFailure(chart, {
      namespace,
      fixtures: ['invalid-eula-not-accepted'],
    });
    expect(message).toContain("at '/lenses-hq/license/acceptEULA': value must be true");
    expect(message).toContain("at '/lenses-agent/acceptEULA': value must be true");
  });
});

describe('realtime-platform: the claim schema of the contract', () => {
  it.each([
    [
      'a database engine the contract does not know',
      { platform: { database: 'oracle' } },
      "at '/platform/database'",
    ],
    [
      'an unknown claim field (a typo)',
      { platform: { iott: false } },
      "invalid propertyName 'iott'",
    ],
    [
      'an unknown scaling field',
      { platform: { scaling: { min: 2 } } },
      "invalid propertyName 'min'",
    ],
    [
      'a name that is not a DNS label',
      { platform: { name: 'Health_Data' } },
      "at '/platform/name'",
    ],
    [
      'a name over the name budget',
      { platform: { name: `h${'x'.repeat(41)}` } },
      "at '/platform/name'",
    ],
    [
      'zero replicas',
      { platform: { scaling: { minReplicas: 0 } } },
      "at '/platform/scaling/minReplicas'",
    ],
    [
      'an MQTT user name with a colon',
      {
        platform: {
          mqttUsers: [{ username: 'a:b', passwordSecretRef: { name: 'devices', key: 'a' } }],
        },
      },
      "at '/platform/mqttUsers/0/username'",
    ],
    [
      'a topic retention of 3y',
      { platform: { topics: [{ name: 'x', retention: '3y' }] } },
      "at '/platform/topics/0/retention'",
    ],
    [
      'streamProcessing: kafka-streams',
      { platform: { streamProcessing: 'kafka-streams' } },
      "at '/platform/streamProcessing'",
    ],
    [
      'an unknown top-level value',
      { plattform: { name: 'x' } },
      "additional properties 'plattform' not allowed",
    ],
    ['the latest image tag', { kafka: { image: { tag: 'latest' } } }, "at '/kafka/image/tag'"],
  ])('refuses %s, naming the value', async (_case, values, expected) => {
    const message = await failureOf(values);
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain(expected);
  });

  // The contract's CEL rules (claimCelRules), refused by Helm too.
  it.each([
    [
      'Snowflake without credentialsSecret',
      { platform: { snowflake: { enabled: true } } },
      "at '/platform/snowflake': missing property 'credentialsSecret'",
    ],
    [
      'mqttUsers with iot: false',
      {
        platform: {
          iot: false,
          mqttUsers: [{ username: 'a', passwordSecretRef: { name: 'devices', key: 'a' } }],
        },
      },
      "at '/platform/iot': value must be true",
    ],
    [
      'a declared topic ending in .dlq',
      { platform: { topics: [{ name: 'device_data.dlq' }] } },
      "at '/platform/topics/0/name'",
    ],
    [
      'Grafana with database: mongodb (it has no MongoDB data source)',
      { platform: { database: 'mongodb', visualization: 'grafana' } },
      "at '/platform/visualization'",
    ],
  ])('refuses %s (a CEL rule of the contract)', async (_case, values, expected) => {
    const message = await failureOf(values);
    expect(message).toContain(expected);
  });

  it.each(['mysql', 'mongodb'])(
    'refuses backup.enabled with database: %s, naming both fields (the CronJob dumps PostgreSQL only)',
    async (database) => {
      const message = await failureOf({ platform: { database }, backup: { enabled: true } });
      expect(message).toContain('backup.enabled needs platform.database: postgres');
      expect(message).toContain(`with "${database}" the application database is not there`);
    },
  );

  it("refuses a device (mqttUsers) whose name is no single topic level: its readings' topic is health/device_data/<name>", async () => {
    const message = await failureOf({
      platform: {
        mqttUsers: [{ username: 'ward/7', passwordSecretRef: { name: 'devices', key: 'ward-7' } }],
      },
    });
    expect(message).toContain("at '/platform/mqttUsers/0/username'");
  });

  it('refuses a device password in the values (it would travel in clear through a claim, the Release and the Application)', async () => {
    const inline = await failureOf({
      platform: { mqttUsers: [{ username: 'ward-7', password: 'in-clear-in-the-release' }] },
    });
    expect(inline).toContain("at '/platform/mqttUsers/0': missing property 'passwordSecretRef'");
    // With a reference as well, the password is still refused, by name.
    const message = await failureOf({
      platform: {
        mqttUsers: [
          {
            username: 'ward-7',
            password: 'in-clear-in-the-release',
            passwordSecretRef: { name: 'devices', key: 'ward-7' },
          },
        ],
      },
    });
    expect(message).toContain('platform.mqttUsers[0].password is refused');
    expect(message).toContain('passwordSecretRef: {name, key}');
  });

  it('refuses minReplicas above maxReplicas in one message naming both', async () => {
    const message = await failureOf({ platform: { scaling: { minReplicas: 6, maxReplicas: 3 } } });
    expect(message).toContain(
      'platform.scaling.minReplicas (6) must not exceed platform.scaling.maxReplicas (3).',
    );
  });

  it('refuses a retention beyond what milliseconds can hold, as the contract does', async () => {
    const message = await failureOf({ platform: { dataRetention: '3475000m' } });
    expect(message).toContain('platform.dataRetention: "3475000m" must be a number and d, w or m');
  });

  it('refuses a topic declared twice', async () => {
    const message = await failureOf({
      platform: { topics: [{ name: 'audit' }, { name: 'audit', partitions: 2 }] },
    });
    expect(message).toContain('platform.topics[1].name: "audit" is declared twice.');
  });
});

describe('realtime-platform: Lenses', () => {
  it('refuses streamProcessing: lenses without the Lenses values, naming each of them', async () => {
    const message = await failureOf({ platform: { streamProcessing: 'lenses' } });
    expect(message).toContain("at '/lenses/enabled': value must be true");
    expect(message).toContain(
      "at '/lenses-hq': missing properties 'license', 'fullnameOverride', 'auth'",
    );
    expect(message).toContain("at '/lenses-agent': missing properties 'acceptEULA'");
  });

  it('refuses lenses.enabled without streamProcessing: lenses', async () => {
    const message = await failureOf({ lenses: { enabled: true } });
    expect(message).toContain("at '/lenses/enabled': value must be false");
  });

  it('prints the exact wiring values when the subcharts point elsewhere', async () => {
    const message = await renderFailure(chart, {
      namespace,
      fixtures: ['lenses'],
      values: [
        {
          'lenses-agent': {
            hq: { host: 'hq.elsewhere' },
            kafka: { bootstrapServers: ['kafka:9092'] },
          },
          'lenses-hq': { postgresql: { host: 'postgres' } },
        },
      ],
    });
    expect(message).toContain('the Lenses subcharts are not wired to this platform');
    expect(message).toContain('lenses-agent.hq.host=health-data-lenses-hq.apps.svc.cluster.local');
    expect(message).toContain(
      'lenses-agent.kafka.bootstrapServers={health-data-kafka.apps.svc.cluster.local:9092}',
    );
    expect(message).toContain(
      'lenses-hq.postgresql.host=health-data-postgresql.apps.svc.cluster.local',
    );
    expect(message).not.toContain('lenses-agent.connect.urls');
  });

  it('refuses Lenses ports and databases other than the contract ones', async () => {
    const message = await renderFailure(chart, {
      namespace,
      fixtures: ['lenses'],
      values: [{ 'lenses-hq': { http: { port: 8080 }, postgresql: { database: 'lenses' } } }],
    });
    expect(message).toContain(
      "lenses-hq.http.port: must be 9991, the platform contract's (got 8080).",
    );
    expect(message).toContain(
      'lenses-hq.postgresql.database: must be hq, the platform contract\'s (got "lenses").',
    );
  });

  it('refuses a Lenses EULA not accepted, naming the value', async () => {
    const message = await renderFailure(chart, {
      namespace,
      fixtures: ['lenses'],
      values: [{ 'lenses-hq': { license: { acceptEULA: false } } }],
    });
    expect(message).toContain("at '/lenses-hq/license/acceptEULA': value must be true");
  });
});
