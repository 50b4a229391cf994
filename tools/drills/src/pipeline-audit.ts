import { setTimeout as sleep } from 'node:timers/promises';
import {
  deviceDataDlqTopic,
  vitalTopicSchemas,
  type VitalTopic,
} from '@realtime-platform/health-domain';
import {
  alertsTopic,
  deviceDataTopic,
  dlqTopicName,
  vitalTopics,
} from '@realtime-platform/platform-contract';
import {
  avroCodec,
  SchemaRegistryClient,
  type AvroCodec,
  type AvroSchema,
} from '@realtime-platform/realtime-sdk';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import pg from 'pg';
import { readingIdOf } from './reading-stream.js';

/** How the audit reaches the platform: Kafka, the registry, the service's database. */
export interface AuditTarget {
  /** A principal that may read every topic (the local broker's provisioning principal). */
  readonly kafka: Pick<KafkaConfig, 'brokers' | 'sasl' | 'ssl'>;
  readonly schemaRegistry: {
    readonly url: string;
    readonly credentials: { readonly username: string; readonly password: string };
  };
  readonly database: pg.ClientConfig;
}

/** What one device prefix left behind in the platform. */
export interface PipelineFindings {
  /** Reading ids in `device_data` (each once), and how many copies beyond the first. */
  readonly deviceData: ReadonlySet<string>;
  readonly deviceDataDuplicates: number;
  /** Reading ids present in every one of the four vital topics. */
  readonly inEveryVitalTopic: ReadonlySet<string>;
  /** Copies beyond the first in the heart-rate topic. */
  readonly vitalDuplicates: number;
  /** Records of these devices in `device_data.dlq` and the vital topics' DLQs. */
  readonly deadLetters: number;
  /** Alert ids stored in the realtime service's database, and rows per id beyond one. */
  readonly storedAlerts: ReadonlySet<string>;
  /** Alert ids on the alerts topic (at-least-once: the same id may come twice). */
  readonly publishedAlerts: ReadonlySet<string>;
  readonly publishedAlertCopies: number;
}

const topicsToRead = [
  deviceDataTopic,
  ...vitalTopics,
  deviceDataDlqTopic,
  ...vitalTopics.map((topic) => dlqTopicName(topic)),
  alertsTopic,
] as const;

/**
 * Reads every topic the pipeline writes from the beginning up to its end offsets at the time of
 * the call (not "until it looks done"), decodes the vital records through the Schema Registry,
 * and collects what belongs to the devices of `prefix`; then the alerts the realtime service
 * stored. The counts are exact for that moment.
 */
export async function auditPipeline(
  target: AuditTarget,
  prefix: string,
): Promise<PipelineFindings> {
  const records = await readToEnd(target.kafka, topicsToRead);
  const ours = (deviceId: unknown): boolean =>
    typeof deviceId === 'string' && deviceId.startsWith(`${prefix}-`);

  const deviceData = new Set<string>();
  let deviceDataDuplicates = 0;
  for (const value of records.get(deviceDataTopic) ?? []) {
    const reading = JSON.parse(value.toString('utf8')) as { deviceId: string; timestamp: number };
    if (!ours(reading.deviceId)) continue;
    const id = readingIdOf(reading.deviceId, reading.timestamp);
    if (deviceData.has(id)) deviceDataDuplicates += 1;
    else deviceData.add(id);
  }

  const registry = new SchemaRegistryClient(target.schemaRegistry);
  const perTopic = new Map<VitalTopic, Map<string, number>>();
  for (const topic of vitalTopics) {
    const codec: AvroCodec<{ deviceId: string; createdTime: number }> = avroCodec({
      registry,
      // health-domain's schema type is readonly; avsc's is mutable: same shape.
      schema: vitalTopicSchemas[topic] as unknown as AvroSchema,
    });
    const copies = new Map<string, number>();
    for (const value of records.get(topic) ?? []) {
      const record = await codec.decode(value, { topic });
      if (!ours(record.deviceId)) continue;
      const id = readingIdOf(record.deviceId, Number(record.createdTime));
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    perTopic.set(topic, copies);
  }
  const [first, ...others] = vitalTopics;
  const inEveryVitalTopic = new Set(
    [...(perTopic.get(first)?.keys() ?? [])].filter((id) =>
      others.every((topic) => perTopic.get(topic)?.has(id)),
    ),
  );
  let vitalDuplicates = 0;
  for (const count of perTopic.get('heart_rate_device_topic')?.values() ?? [])
    vitalDuplicates += count - 1;

  let deadLetters = 0;
  for (const topic of [deviceDataDlqTopic, ...vitalTopics.map((t) => dlqTopicName(t))]) {
    for (const value of records.get(topic) ?? []) {
      // The DLQ keeps the original value: a reading's JSON, or an Avro record that names the device.
      if (value.includes(Buffer.from(`${prefix}-`))) deadLetters += 1;
    }
  }

  const publishedAlerts = new Set<string>();
  let publishedAlertCopies = 0;
  for (const value of records.get(alertsTopic) ?? []) {
    const alert = JSON.parse(value.toString('utf8')) as { id: string; deviceId: string };
    if (!ours(alert.deviceId)) continue;
    if (publishedAlerts.has(alert.id)) publishedAlertCopies += 1;
    else publishedAlerts.add(alert.id);
  }

  return {
    deviceData,
    deviceDataDuplicates,
    inEveryVitalTopic,
    vitalDuplicates,
    deadLetters,
    storedAlerts: await storedAlertIds(target.database, prefix),
    publishedAlerts,
    publishedAlertCopies,
  };
}

/** Alert ids of these devices in the realtime service's table. */
export async function storedAlertIds(
  database: pg.ClientConfig,
  prefix: string,
): Promise<Set<string>> {
  const client = new pg.Client(database);
  // The PostgreSQL drill stops the server under a poll: pg then also emits 'error' (57P01), which
  // without a listener is an uncaught exception; the failed connect or query rejects anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      'SELECT id FROM realtime_service.alerts WHERE device_id LIKE $1',
      [`${prefix}-%`],
    );
    return new Set(rows.map((row) => row.id));
  } finally {
    await client.end();
  }
}

/** Every record value of `topics`, from the beginning to the end offsets read first. */
async function readToEnd(
  config: AuditTarget['kafka'],
  topics: readonly string[],
): Promise<Map<string, Buffer[]>> {
  const kafka = new Kafka({ ...config, clientId: 'drill-audit', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) remaining.set(`${topic}:${partition}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const values = new Map<string, Buffer[]>(topics.map((topic) => [topic, []]));
  if (remaining.size === 0) return values;
  const consumer = kafka.consumer({ groupId: `drill-audit-${process.hrtime.bigint()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const key = `${topic}:${partition}`;
        const end = remaining.get(key);
        if (end === undefined || BigInt(message.offset) >= end) return;
        values.get(topic)?.push(message.value ?? Buffer.alloc(0));
        if (BigInt(message.offset) + 1n >= end) remaining.delete(key);
      },
    });
    const deadline = Date.now() + 120_000;
    while (remaining.size > 0) {
      if (Date.now() > deadline) {
        throw new Error(
          `the audit could not read to the end of ${[...remaining.keys()].join(', ')}`,
        );
      }
      await sleep(100);
    }
  } finally {
    await consumer.disconnect();
  }
  return values;
}
