import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { splitReading, vitalTopicSchemas, type HealthData } from '@realtime-platform/health-domain';
import { useKafkaBroker, useSchemaRegistry } from '@realtime-platform/local-infra/jest';
import { deviceDataTopic, dlqTopicName, vitalTopics } from '@realtime-platform/platform-contract';
import { SchemaRegistryClient, avroCodec, type AvroSchema } from '@realtime-platform/realtime-sdk';
import { KafkaStreamsSplitter, buildKafkaStreamsSplitter } from '../src/kafka-streams.splitter.js';
import { fleetReading } from '../src/reading.generator.js';

/**
 * The baseline must do the same split as the stream-processor, or the benchmark's ratio means
 * nothing: built from its Maven project (cached), run against a real broker and registry, its
 * records are decoded with the SDK's Avro codec and compared with the health domain's split.
 */
const kafka = useKafkaBroker({ autoCreateTopics: false });
const registry = useSchemaRegistry(() => ({ users: kafka().registryUsers() }));
const prefix = 'ks.';

const rawKafka = (): Kafka =>
  new Kafka({
    clientId: 'ks-test',
    ...kafka().kafkajsConfig(),
    logLevel: logLevel.NOTHING,
  });

/** The first `count` distinct records of `topic` (a reader may see a record twice after a rebalance). */
async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = rawKafka().consumer({ groupId: `reader-${randomUUID()}` });
  const byPosition = new Map<string, KafkaMessage>();
  const messages = {
    get length() {
      return byPosition.size;
    },
  };
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${messages.length}/${count} records in ${topic}`)),
        120_000,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            byPosition.set(`${partition}:${message.offset}`, message);
            if (messages.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error as Error);
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return [...byPosition.values()];
}

describe('Kafka Streams baseline (tools/bench/kafka-streams-splitter)', () => {
  let app: KafkaStreamsSplitter | undefined;
  const readings: HealthData[] = Array.from({ length: 12 }, (_, n) =>
    fleetReading(n, 5, 1_767_225_600_000),
  );

  beforeAll(async () => {
    const dir = buildKafkaStreamsSplitter();
    const admin = rawKafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: deviceDataTopic, numPartitions: 2 },
        { topic: dlqTopicName(`${prefix}${deviceDataTopic}`), numPartitions: 1 },
        ...vitalTopics.map((topic) => ({ topic: `${prefix}${topic}`, numPartitions: 2 })),
      ],
    });
    await admin.disconnect();
    // Idempotent: a retried produce request must not write the readings twice.
    const producer = rawKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: deviceDataTopic,
      messages: [
        ...readings.map((reading) => ({ key: reading.deviceId, value: JSON.stringify(reading) })),
        { key: 'bad-1', value: '{"deviceId": "bad-1", ' },
        { key: 'bad-2', value: JSON.stringify({ ...readings[0], heartRate: 400 }) },
      ],
    });
    await producer.disconnect();
    app = KafkaStreamsSplitter.start({
      dir,
      bootstrapServers: kafka().bootstrapServers,
      clientProperties: kafka().javaClientProperties('admin'),
      registryLogin: registry().credentials(),
      registryUrl: registry().url,
      applicationId: `ks-test-${randomUUID().slice(0, 8)}`,
      input: deviceDataTopic,
      outputPrefix: prefix,
      heap: '256m',
    });
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('should write the same records as the health domain split, Avro in the Confluent wire format, keyed by deviceId', async () => {
    const client = new SchemaRegistryClient({
      url: registry().url,
      credentials: registry().credentials(),
    });
    for (const [position, topic] of vitalTopics.entries()) {
      const messages = await readAll(`${prefix}${topic}`, readings.length);
      const codec = avroCodec<Record<string, unknown>>({
        registry: client,
        schema: vitalTopicSchemas[topic] as unknown as AvroSchema,
      });
      const decoded = await Promise.all(
        messages.map(async (message) => ({
          key: message.key?.toString(),
          value: await codec.decode(message.value as Buffer, { topic }),
        })),
      );
      const expected = readings.map((reading) => {
        const record = splitReading(reading)[position];
        return { key: record?.key, value: record?.value };
      });
      const order = (
        a: { value?: { createdTime?: unknown } },
        b: { value?: { createdTime?: unknown } },
      ) => Number(a.value?.createdTime) - Number(b.value?.createdTime);
      expect([...decoded].sort(order)).toEqual([...expected].sort(order));
      expect(await client.compatibility(`${prefix}${topic}-value`)).toBe('BACKWARD');
    }
  });

  it('should send invalid readings to its DLQ with a reason', async () => {
    const dead = await readAll(dlqTopicName(`${prefix}${deviceDataTopic}`), 2);
    const reasons = Object.fromEntries(
      dead.map((message) => [
        message.key?.toString(),
        message.headers?.['rtp.dlq.reason']?.toString(),
      ]),
    );
    expect(reasons['bad-1']).toMatch(/^malformed-json/);
    expect(reasons['bad-2']).toBe('heartRate: out-of-range');
  });
});
