// The topic Job's script with the rendered topic plan against a real Kafka (KRaft, the Kafka of
// fast-data-dev 3.9.0 from Maven Central), using Kafka's own topic and config tools.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KafkaBroker } from '@realtime-platform/local-infra';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaSecurityEnv } from '../support/kafka-security-env.js';
import { chartPath, renderChart } from '../support/render-chart.js';
import { runShellScript } from '../support/run-shell-script.js';
import { containersOf, workloadsOf } from '../support/workloads.js';

const script = join(chartPath('realtime-platform'), 'files', 'scripts', 'ensure-topics.sh');

let broker: KafkaBroker;
let dir: string;
let plan: string[];
/** The contract's security protocol and SASL mechanism, as the Job's topics container gets them. */
let security: Record<string, string>;

/** kafka-topics and kafka-configs as the fast-data-dev image has them, from the same Kafka jars. */
async function writeKafkaTools(): Promise<void> {
  const { classpath, javaBinary } = kafkaDistribution();
  const tool = (mainClass: string) =>
    `#!/bin/sh\nexec "${javaBinary}" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "${classpath}" ${mainClass} "$@"\n`;
  await writeFile(join(dir, 'kafka-topics'), tool('org.apache.kafka.tools.TopicCommand'));
  await writeFile(join(dir, 'kafka-configs'), tool('kafka.admin.ConfigCommand'));
  await chmod(join(dir, 'kafka-topics'), 0o755);
  await chmod(join(dir, 'kafka-configs'), 0o755);
}

async function ensureTopics(lines: string[]) {
  await writeFile(join(dir, 'topics.txt'), `${lines.join('\n')}\n`);
  return runShellScript(
    script,
    {
      BOOTSTRAP_SERVER: broker.bootstrapServers,
      TOPICS_FILE: join(dir, 'topics.txt'),
      KAFKA_TOPICS: join(dir, 'kafka-topics'),
      KAFKA_CONFIGS: join(dir, 'kafka-configs'),
      WAIT_SECONDS: '60',
      // The provisioning principal, as the Job gets it from {name}-kafka-admin-secret.
      SASL_USERNAME: broker.credentials('admin').username,
      SASL_PASSWORD: broker.credentials('admin').password,
      ...security,
    },
    120_000,
  );
}

async function describeTopics(names: string[]) {
  const admin = new Kafka({
    ...broker.kafkajsConfig('admin'),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({ type: 2, name, configNames: ['retention.ms'] })),
    });
    return Object.fromEntries(
      metadata.topics.map((topic) => {
        const retention = configs.resources
          .find((resource) => resource.resourceName === topic.name)
          ?.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue;
        return [topic.name, [topic.partitions.length, Number(retention)]];
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rtp-topics-'));
  const [started, render] = await Promise.all([
    KafkaBroker.start({ autoCreateTopics: false }),
    renderChart('realtime-platform', { namespace: 'apps', fixtures: ['every-option'] }),
    writeKafkaTools(),
  ]);
  broker = started;
  // The first four topics of the rendered plan: a declared override (device_data: 12 partitions,
  // 2w), its dead-letter topic and a default topic with dataRetention (30d), with its DLQ.
  plan = (render.configMapData('health-data-topics')['topics.txt'] ?? '')
    .trim()
    .split('\n')
    .slice(0, 4);
  const job = workloadsOf(render).find(({ name }) => name.startsWith('health-data-kafka-setup'));
  const topics = containersOf(job!.template).find(({ name }) => name === 'topics');
  security = kafkaSecurityEnv(topics!);
}, 120_000);

afterAll(async () => {
  await broker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('realtime-platform: ensure-topics.sh on a real Kafka', () => {
  it('creates the planned topics with their partitions and retention.ms', async () => {
    const result = await ensureTopics(plan);
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.exitCode).toBe(0);
    expect(await describeTopics(plan.map((line) => line.split(' ')[0] as string))).toEqual({
      device_data: [12, 14 * 86_400_000],
      'device_data.dlq': [1, 14 * 86_400_000],
      blood_pressure_device_topic: [6, 30 * 86_400_000],
      'blood_pressure_device_topic.dlq': [1, 30 * 86_400_000],
    });
  }, 120_000);

  it('changes nothing when run again (idempotent)', async () => {
    const result = await ensureTopics(plan);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('topics match the plan (0 created, 0 changed)');
  }, 120_000);

  it('adds partitions and applies a new retention', async () => {
    const changed = plan.map((line) =>
      line.startsWith('device_data ') ? 'device_data 16 86400000' : line,
    );
    const result = await ensureTopics(changed);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('topic device_data: partitions 12 -> 16');
    expect(result.stdout).toContain('topic device_data: retention.ms 1209600000 -> 86400000');
    expect((await describeTopics(['device_data'])).device_data).toEqual([16, 86_400_000]);
  }, 120_000);

  it('fails loudly when the plan has fewer partitions than the topic', async () => {
    const result = await ensureTopics(['device_data 6 86400000']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'topic device_data has 16 partitions but the platform declares 6: Kafka cannot remove partitions',
    );
  }, 120_000);

  it('fails loudly when Kafka never answers', async () => {
    const result = await runShellScript(
      script,
      {
        BOOTSTRAP_SERVER: '127.0.0.1:1',
        TOPICS_FILE: join(dir, 'topics.txt'),
        KAFKA_TOPICS: join(dir, 'kafka-topics'),
        WAIT_SECONDS: '1',
        POLL_SECONDS: '1',
        KAFKA_TIMEOUT_MS: '2000',
      },
      120_000,
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('Kafka at 127.0.0.1:1 did not answer within 1s');
  }, 120_000);

  it('refuses a login without the contract’s SASL mechanism, naming SASL_MECHANISM', async () => {
    const result = await runShellScript(script, {
      BOOTSTRAP_SERVER: broker.bootstrapServers,
      TOPICS_FILE: join(dir, 'topics.txt'),
      KAFKA_TOPICS: join(dir, 'kafka-topics'),
      SASL_USERNAME: broker.credentials('admin').username,
      SASL_PASSWORD: broker.credentials('admin').password,
      SECURITY_PROTOCOL: security.SECURITY_PROTOCOL!,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('SASL_MECHANISM is not set');
  });
});
