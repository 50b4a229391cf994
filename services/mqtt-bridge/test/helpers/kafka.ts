import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { KafkaBroker } from '@realtime-platform/local-infra';
import { deviceDataTopic, dlqTopicName } from '@realtime-platform/platform-contract';
import { createTopics } from '@realtime-platform/testkit';

/** The test broker; these helpers act as the provisioning principal (a super user). */
type KafkaTarget = Pick<KafkaBroker, 'kafkajsConfig'>;

const kafkaClient = (kafka: KafkaTarget): Kafka =>
  new Kafka({ clientId: 'bridge-test', ...kafka.kafkajsConfig(), logLevel: logLevel.NOTHING });

/** Creates `device_data` (3 partitions) and `device_data.dlq`, as the platform provisions them. */
export async function createPipelineTopics(kafka: KafkaTarget): Promise<void> {
  await createTopics(kafka, [
    { topic: deviceDataTopic, numPartitions: 3 },
    { topic: dlqTopicName(deviceDataTopic), numPartitions: 1 },
  ]);
}

export interface RecordedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: string | undefined;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/** Reads topics from the beginning into memory for the rest of the test file. */
export class TopicRecorder {
  readonly records: RecordedRecord[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: KafkaTarget, topics: readonly string[]): Promise<TopicRecorder> {
    const consumer = kafkaClient(kafka).consumer({
      groupId: `recorder-${randomUUID()}`,
      maxWaitTimeInMs: 100,
    });
    const recorder = new TopicRecorder(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let joined!: () => void;
    const hasJoined = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          recorder.records.push({
            topic: batch.topic,
            partition: batch.partition,
            key: message.key?.toString(),
            value: message.value ?? Buffer.alloc(0),
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [
                name,
                String(value?.toString()),
              ]),
            ),
          });
        }
      },
    });
    await hasJoined;
    return recorder;
  }

  of(topic: string): RecordedRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/**
 * Every record of `topic` up to its current end, read by a fresh consumer group from the
 * beginning: a count that does not depend on a long-running consumer keeping up.
 */
export async function readWholeTopic(kafka: KafkaTarget, topic: string): Promise<RecordedRecord[]> {
  const client = kafkaClient(kafka);
  const admin = client.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
      if (Number(high) > 0) ends.set(partition, Number(high));
    }
  } finally {
    await admin.disconnect();
  }
  const records: RecordedRecord[] = [];
  if (ends.size === 0) return records;
  const consumer = client.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition) ?? 0;
            for (const message of batch.messages) {
              if (Number(message.offset) >= end) continue;
              records.push({
                topic: batch.topic,
                partition: batch.partition,
                key: message.key?.toString(),
                value: message.value ?? Buffer.alloc(0),
                headers: {},
              });
              if (Number(message.offset) === end - 1) done.add(batch.partition);
            }
            if (done.size === ends.size) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
