import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import type { KafkaBroker } from '@realtime-platform/local-infra';
import { dlqTopicName } from '@realtime-platform/platform-contract';

/** The test broker (`kafka()`): its helpers log in as the provisioning principal, a super user. */
export type KafkaTarget = Pick<KafkaBroker, 'kafkajsConfig'>;

export const rawKafka = (kafka: KafkaTarget): Kafka =>
  new Kafka({
    clientId: 'test-admin',
    ...kafka.kafkajsConfig(),
    logLevel: logLevel.NOTHING,
    // A loaded 2-core machine can take seconds to elect the leaders of a new topic.
    retry: { retries: 10, initialRetryTime: 300 },
  });

/** Creates `<prefix>-<uuid>` and its `.dlq` and waits for their leaders. */
export async function createTopic(
  kafka: KafkaTarget,
  prefix: string,
  partitions = 3,
): Promise<string> {
  const topic = `${prefix}-${randomUUID()}`;
  const admin = rawKafka(kafka).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false, // kafkajs' default (true) gives up on UNKNOWN_TOPIC_OR_PARTITION
      topics: [
        { topic, numPartitions: partitions },
        { topic: dlqTopicName(topic), numPartitions: 1 },
      ],
    });
    await waitForLeaders(admin, [topic, dlqTopicName(topic)]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/**
 * Until every partition of `topics` has a leader. kafkajs' own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker under load briefly answers UNKNOWN_TOPIC_OR_PARTITION
 * for a topic it just created: waiting on the state, not on one error code, covers both.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (
        metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`no leaders for ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function withAdmin<T>(
  kafka: KafkaTarget,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = rawKafka(kafka).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Committed offsets of a group for a topic, summed over partitions (-1 counts as 0). */
export async function committedTotal(
  kafka: KafkaTarget,
  groupId: string,
  topic: string,
): Promise<number> {
  const offsets = await withAdmin(kafka, (admin) =>
    admin.fetchOffsets({ groupId, topics: [topic] }),
  );
  return (offsets[0]?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** Reads every record of `topic` from the beginning until `count` arrived. */
export async function readAll(
  kafka: KafkaTarget,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<KafkaMessage[]> {
  const consumer = rawKafka(kafka).consumer({ groupId: `reader-${randomUUID()}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${messages.length}/${count} records in ${topic}`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            messages.push(message);
            if (messages.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
