import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage, type Message } from 'kafkajs';
import type { KafkaBroker } from '@realtime-platform/local-infra';

/** The test broker; these helpers act as the provisioning principal (a super user). */
export type KafkaTarget = Pick<KafkaBroker, 'kafkajsConfig'>;

export const rawKafka = (kafka: KafkaTarget): Kafka =>
  new Kafka({
    clientId: 'stream-processor-test',
    ...kafka.kafkajsConfig(),
    logLevel: logLevel.NOTHING,
  });

/** Produces (acks=all) and resolves once the broker acknowledged every record. */
export async function produce(
  kafka: KafkaTarget,
  topic: string,
  messages: Message[],
): Promise<void> {
  // Idempotent: a retried produce request must not write a record twice.
  const producer = rawKafka(kafka).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let start = 0; start < messages.length; start += 2000) {
      await producer.send({ topic, acks: -1, messages: messages.slice(start, start + 2000) });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * A reader of a whole topic from the beginning (a group of its own): `until(predicate)` resolves
 * once the records read so far satisfy it. State, not time: the timeout only bounds a failure.
 */
export class TopicReader {
  readonly messages: KafkaMessage[] = [];
  private readonly consumer;
  private listeners = new Set<() => void>();

  private constructor(kafka: KafkaTarget) {
    this.consumer = rawKafka(kafka).consumer({ groupId: `reader-${randomUUID()}` });
  }

  /** Resolves once the reader is a member of its group (a disconnect during the join leaks a loop). */
  static async start(kafka: KafkaTarget, topic: string): Promise<TopicReader> {
    const reader = new TopicReader(kafka);
    const joined = new Promise<void>((resolve) => {
      const remove = reader.consumer.on(reader.consumer.events.GROUP_JOIN, () => {
        remove();
        resolve();
      });
    });
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topic, fromBeginning: true });
    await reader.consumer.run({
      eachBatch: async ({ batch }) => {
        reader.messages.push(...batch.messages);
        for (const listener of reader.listeners) listener();
      },
    });
    await joined;
    return reader;
  }

  until(
    predicate: (messages: readonly KafkaMessage[]) => boolean,
    timeoutMs = 120_000,
    what = 'records',
  ): Promise<readonly KafkaMessage[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this.messages)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(this.messages);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(
            `${what}: condition not met within ${timeoutMs} ms (${this.messages.length} read)`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.consumer.disconnect();
  }
}
