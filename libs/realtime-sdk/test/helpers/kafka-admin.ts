import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import type { KafkaBroker } from '@realtime-platform/local-infra';

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
