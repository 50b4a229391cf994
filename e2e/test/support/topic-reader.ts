import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { KafkaBroker } from '@realtime-platform/local-infra';

export interface ReadRecord {
  readonly topic: string;
  readonly key: string | undefined;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads topics from the beginning with a throw-away consumer group and keeps every record, so a
 * test can wait until what it expects is there ("until", never "sleep and hope").
 */
export class TopicReader {
  readonly records: ReadRecord[] = [];
  private constructor(private readonly consumer: Consumer) {}

  /** Reads as the provisioning principal: it sees every topic, as an operator would. */
  static async start(broker: KafkaBroker, topics: readonly string[]): Promise<TopicReader> {
    const kafka = new Kafka({
      clientId: 'e2e-reader',
      ...broker.kafkajsConfig('admin'),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `e2e-reader-${process.hrtime.bigint()}` });
    const reader = new TopicReader(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = value.toString();
        }
        reader.records.push({
          topic,
          key: message.key?.toString(),
          value: message.value ?? Buffer.alloc(0),
          headers,
        });
      },
    });
    return reader;
  }

  of(topic: string): ReadRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** Resolves once `done()` holds; rejects with `describe()` after the timeout. */
  async waitUntil(
    done: () => boolean | Promise<boolean>,
    describe: () => string,
    timeoutMs = 120_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
