// The connectors and the Lenses SQL against the requirements, and the connector Job's script run
// for real (sh, curl, jq) against a Kafka Connect REST stand-in.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import { KafkaConnectStandIn } from '../support/kafka-connect-stand-in.js';
import {
  chartPath,
  containerOf,
  envOf,
  renderChart,
  type RenderedChart,
} from '../support/render-chart.js';
import { runShellScript } from '../support/run-shell-script.js';

const chart = 'realtime-platform';
const namespace = 'apps';

/**
 * The requirements' connector configuration ("Connector Configuration Templates"), with their
 * snake_case keys written as Kafka Connect property names. Their docker-compose values that name
 * a host or a credential are replaced by the platform's: the broker is this platform's MQTT
 * Service, the user and password are the {name}-mqtt-secret files Kafka Connect reads itself.
 */
const requiredMqttSource = {
  name: 'device_data_connector',
  'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
  'tasks.max': '1',
  'connect.mqtt.hosts': 'tcp://mqtt5:1883',
  'connect.mqtt.kcql': 'INSERT INTO device_data SELECT * FROM health/device_data WITHKEY(deviceId)',
  'connect.mqtt.username': 'user1',
  'connect.mqtt.password': 'password',
  'connect.mqtt.service.quality': '1',
  'errors.tolerance': 'all',
};
/**
 * Where the platform deliberately differs from the requirements' MQTT source: `errors.tolerance:
 * all` would drop a reading the connector cannot convert without a trace.
 */
const mqttSourceErrorHandling = {
  'errors.tolerance': 'none',
  'errors.log.enable': 'true',
  'errors.log.include.messages': 'true',
};
const requiredSnowflakeSink = {
  name: 'HealthDataConnector',
  'connector.class': 'com.snowflake.kafka.connector.SnowflakeSinkConnector',
  topics:
    'temperature_device_topic,heart_rate_device_topic,blood_pressure_device_topic,oxygen_saturation_device_topic',
  'snowflake.url.name': '<account>.snowflakecomputing.com',
  'snowflake.user.name': 'kafka_user',
  'snowflake.database.name': 'INGEST',
  'snowflake.schema.name': 'INGEST',
  'buffer.count.records': '1000000',
  'buffer.flush.time': '10',
  'buffer.size.bytes': '250000000',
  'value.converter': 'com.snowflake.kafka.connector.records.SnowflakeAvroConverter',
  'value.converter.schema.registry.url': 'http://demo-kafka:8081',
};

/** The requirements' "Stream Processing Transformations"; the last two completed by their pattern. */
const requiredSql: Record<string, string> = {
  'split-blood-pressure.sql': `INSERT INTO blood_pressure_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.systolic AS systolic,
    _value.diastolic AS diastolic,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;
`,
  'split-heart-rate.sql': `INSERT INTO heart_rate_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.heartRate AS value,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;
`,
  'split-oxygen-saturation.sql': `INSERT INTO oxygen_saturation_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.oxygenSaturation AS value,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;
`,
  'split-temperature.sql': `INSERT INTO temperature_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.bodyTemperature AS value,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;
`,
};

let snowflake: RenderedChart;
let lenses: RenderedChart;
/** Lenses mode with the Snowflake sink: both connectors. */
let lensesSnowflake: RenderedChart;
const connectorsOf = (render: RenderedChart) =>
  Object.fromEntries(
    Object.entries(render.configMapData('health-data-connectors')).map(([file, json]) => [
      file,
      JSON.parse(json) as Record<string, string>,
    ]),
  );

beforeAll(async () => {
  [snowflake, lenses, lensesSnowflake] = await Promise.all([
    renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['snowflake'] }),
    renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['lenses'] }),
    renderChart(chart, {
      releaseName: 'platform',
      namespace,
      fixtures: ['lenses', 'snowflake'],
    }),
  ]);
});

describe('realtime-platform: connectors as the requirements configure them', () => {
  it('configures the MQTT source as the requirements do, on this platform, failing loudly instead of dropping', () => {
    expect(connectorsOf(lenses)['device_data_connector.json']).toEqual({
      ...requiredMqttSource,
      ...mqttSourceErrorHandling,
      'connect.mqtt.hosts': 'tcp://health-data-mqtt.apps.svc.cluster.local:1883',
      'connect.mqtt.username': '${directory:/mnt/connect-secrets/mqtt:MQTT_USERNAME}',
      'connect.mqtt.password': '${directory:/mnt/connect-secrets/mqtt:MQTT_PASSWORD}',
    });
  });

  it("reads the MQTT credentials from files of the bridge role's {name}-mqtt-bridge-secret that Kafka Connect resolves", () => {
    const template = lenses.podTemplate('StatefulSet', 'health-data-kafka');
    const kafka = containerOf(template, 'kafka');
    expect(envOf(kafka, 'CONNECT_CONFIG_PROVIDERS').value).toBe('directory');
    expect(envOf(kafka, 'CONNECT_CONFIG_PROVIDERS_DIRECTORY_CLASS').value).toBe(
      'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    );
    expect(kafka.volumeMounts).toContainEqual({
      name: 'connect-secrets-mqtt',
      mountPath: '/mnt/connect-secrets/mqtt',
      readOnly: true,
    });
    const volume = template.spec.volumes?.find((v) => v.name === 'connect-secrets-mqtt');
    // The MQTT source reads readings as the mqtt-bridge does: the bridge role, not the apps' user.
    expect(volume?.secret).toMatchObject({
      secretName: 'health-data-mqtt-bridge-secret',
      items: [
        { key: 'MQTT_USERNAME', path: 'MQTT_USERNAME' },
        { key: 'MQTT_PASSWORD', path: 'MQTT_PASSWORD' },
      ],
    });
  });

  it('configures the Snowflake sink as the requirements do, with key-pair credentials from the Secret', () => {
    const sink = connectorsOf(snowflake)['HealthDataConnector.json'];
    const files = '/mnt/connect-secrets/snowflake';
    expect(sink).toEqual({
      ...requiredSnowflakeSink,
      'snowflake.url.name': `\${directory:${files}:SNOWFLAKE_URL}`,
      'snowflake.user.name': `\${directory:${files}:SNOWFLAKE_USER}`,
      'snowflake.private.key': `\${directory:${files}:SNOWFLAKE_PRIVATE_KEY}`,
      'snowflake.private.key.passphrase': `\${directory:${files}:SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}`,
      'snowflake.database.name': `\${directory:${files}:SNOWFLAKE_DATABASE}`,
      'snowflake.schema.name': `\${directory:${files}:SNOWFLAKE_SCHEMA}`,
      'value.converter.schema.registry.url':
        'http://health-data-schema-registry.apps.svc.cluster.local:8081',
      // The registry wants a login: Connect's own principal, from a mounted file.
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info':
        '${directory:/mnt/connect-secrets/registry:REGISTRY_USER_INFO}',
      // connectors.snowflakeSink.extraConfig: the processors write string keys
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
  });

  it('runs no connector the claim does not ask for', async () => {
    expect(Object.keys(connectorsOf(lenses))).toEqual(['device_data_connector.json']);
    expect(Object.keys(connectorsOf(snowflake))).toEqual(['HealthDataConnector.json']);
  });

  it.each([
    ['builtin (the default)', ['minimal'], 1],
    ['builtin with Snowflake', ['snowflake'], 1],
    ['lenses', ['lenses'], 1],
    ['iot: false', ['iot-disabled'], 0],
  ])(
    'has exactly one reader of the MQTT readings in mode %s, so each reading is ingested once',
    async (_mode, fixtures, expected) => {
      const render = await renderChart(chart, { releaseName: 'platform', namespace, fixtures });
      const bridges = [...render.ofKind('Deployment'), ...render.ofKind('StatefulSet')].filter(
        (workload) =>
          (
            workload as unknown as {
              spec: {
                template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } };
              };
            }
          ).spec.template.spec.containers.some((container) =>
            (container.env ?? []).some(
              (env) => env.name === 'RTP_MQTT_TOPIC' && env.value === deviceMqttTopic,
            ),
          ),
      );
      const sources = Object.values(connectorsOf(render)).filter((connector) =>
        String(connector['connect.mqtt.kcql'] ?? '').includes(`FROM ${deviceMqttTopic} `),
      );
      expect(bridges.length + sources.length).toBe(expected);
      // Kafka Connect gets the MQTT credentials only when it runs the MQTT source.
      const kafka = render.podTemplate('StatefulSet', 'health-data-kafka');
      expect((kafka.spec.volumes ?? []).some((v) => v.name === 'connect-secrets-mqtt')).toBe(
        sources.length > 0,
      );
    },
  );

  it('adds connectors.*.extraConfig to the requirements configuration', async () => {
    const render = await renderChart(chart, {
      namespace,
      fixtures: ['lenses'],
      values: [
        {
          connectors: {
            mqttSource: {
              extraConfig: { 'connect.mqtt.client.id': 'platform', 'connect.mqtt.clean': false },
            },
          },
        },
      ],
    });
    expect(connectorsOf(render)['device_data_connector.json']).toMatchObject({
      'connect.mqtt.client.id': 'platform',
      'connect.mqtt.clean': 'false',
      'connect.mqtt.kcql': requiredMqttSource['connect.mqtt.kcql'],
    });
  });

  it('applies the connectors on every install and upgrade, and again from a CronJob', () => {
    const job = snowflake.podTemplate('Job', 'health-data-kafka-setup-1');
    expect(job.spec.initContainers?.map((c) => c.name)).toEqual(['topics', 'acls']);
    expect(job.spec.containers.map((c) => c.name)).toEqual(['connectors']);
    const cronJob = snowflake.get('CronJob', 'health-data-connectors') as unknown as {
      spec: { schedule: string; concurrencyPolicy: string };
    };
    expect(cronJob.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid' });
  });
});

describe('realtime-platform: the Lenses SQL processors', () => {
  it('holds the four processors exactly as the requirements write them', () => {
    expect(lenses.configMapData('health-data-lenses-sql')).toEqual(requiredSql);
  });

  it('creates them through Lenses HQ in the environment the Lenses Agent serves', () => {
    const container = containerOf(
      lenses.podTemplate('Job', 'health-data-lenses-sql-1'),
      'processors',
    );
    expect(envOf(container, 'HQ_URL').value).toBe(
      'http://health-data-lenses-hq.apps.svc.cluster.local:9991',
    );
    expect(envOf(container, 'HQ_ENV_NAME').value).toBe('health-data-lenses-agent');
    expect(envOf(container, 'HQ_PASSWORD').valueFrom?.secretKeyRef).toEqual({
      name: 'health-data-lenses-hq-admin',
      key: 'password',
    });
  });
});

describe('realtime-platform: apply-connectors.sh against a Kafka Connect stand-in', () => {
  const script = join(chartPath(chart), 'files', 'scripts', 'apply-connectors.sh');
  let connect: KafkaConnectStandIn;
  let dir: string;
  const owned = 'device_data_connector HealthDataConnector';

  const writeConnectors = async (connectors: Record<string, Record<string, string>>) => {
    for (const [file, config] of Object.entries(connectors)) {
      await writeFile(join(dir, file), JSON.stringify(config, null, 2));
    }
  };
  const run = (env: Record<string, string> = {}) =>
    runShellScript(script, {
      CONNECT_URL: connect.url,
      CONNECTORS_DIR: dir,
      OWNED_CONNECTORS: owned,
      WAIT_SECONDS: '5',
      POLL_SECONDS: '1',
      ...env,
    });

  beforeEach(async () => {
    connect = await KafkaConnectStandIn.start();
    dir = await mkdtemp(join(tmpdir(), 'rtp-connectors-'));
    await writeConnectors(connectorsOf(lensesSnowflake));
  });
  afterEach(async () => {
    await connect.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the rendered connectors with PUT /connectors/<name>/config', async () => {
    const result = await run();
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(connect.writes().sort()).toEqual([
      'PUT /connectors/HealthDataConnector/config',
      'PUT /connectors/device_data_connector/config',
    ]);
    expect(connect.connectors.get('device_data_connector')?.config).toEqual(
      connectorsOf(lensesSnowflake)['device_data_connector.json'],
    );
  });

  it('changes nothing when run again (idempotent)', async () => {
    await run();
    const writes = connect.writes().length;
    const again = await run();
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('connector device_data_connector: configuration unchanged');
    expect(connect.writes()).toHaveLength(writes);
  });

  it('re-applies a changed configuration and re-creates a connector lost with the broker', async () => {
    await run();
    connect.connectors.get('HealthDataConnector')!.config['buffer.flush.time'] = '99';
    connect.connectors.delete('device_data_connector');
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('connector device_data_connector: created');
    expect(result.stdout).toContain('connector HealthDataConnector: configuration updated');
  });

  it('restarts the failed tasks of a connector', async () => {
    await run();
    connect.failTask('device_data_connector');
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(connect.writes()).toContain(
      'POST /connectors/device_data_connector/restart?includeTasks=true&onlyFailed=true',
    );
  });

  it('deletes a connector of the platform the claim no longer wants, and leaves others alone', async () => {
    await run();
    connect.connectors.set('someone-elses', {
      config: { name: 'someone-elses' },
      connectorState: 'RUNNING',
      taskState: 'RUNNING',
    });
    await rm(join(dir, 'HealthDataConnector.json'));
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(connect.writes()).toContain('DELETE /connectors/HealthDataConnector');
    expect([...connect.connectors.keys()].sort()).toEqual([
      'device_data_connector',
      'someone-elses',
    ]);
  });

  it('fails loudly with Connect answer when a connector is refused', async () => {
    connect.failures.push({
      method: 'PUT',
      path: '/connectors/device_data_connector/config',
      status: 400,
      body: { error_code: 400, message: 'Connector configuration is invalid' },
    });
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'creating connector device_data_connector failed: Kafka Connect answered HTTP 400',
    );
    expect(result.stderr).toContain('Connector configuration is invalid');
  });

  it('fails loudly when Kafka Connect never answers', async () => {
    const url = connect.url;
    await connect.close();
    const result = await runShellScript(script, {
      CONNECT_URL: url,
      CONNECTORS_DIR: dir,
      WAIT_SECONDS: '2',
      POLL_SECONDS: '1',
    });
    connect = await KafkaConnectStandIn.start();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      `waiting 2s for Kafka Connect failed: Kafka Connect at ${url} could not be reached`,
    );
  });

  it('refuses a connector file whose name does not match', async () => {
    await writeFile(join(dir, 'device_data_connector.json'), JSON.stringify({ name: 'other' }));
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('is not a JSON object whose "name" is "device_data_connector"');
  });
});
