import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { useKafkaBroker } from '../src/jest/index.js';

const kafka = useKafkaBroker();

/** A client logged in as the provisioning principal (a super user). */
const client = (): Kafka =>
  new Kafka({ clientId: 'smoke', ...kafka().kafkajsConfig(), logLevel: logLevel.NOTHING });

/** Reads `count` records of `topic` from the beginning with a fresh group. */
async function consume(topic: string, count: number): Promise<string[]> {
  const consumer: Consumer = client().consumer({ groupId: `smoke-${randomUUID()}` });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length === count) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('KafkaBroker (real Kafka 3.9 KRaft, SASL/SCRAM + ACLs)', () => {
  it('listens on a loopback port chosen at start', () => {
    expect(kafka().bootstrapServers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(kafka().port).not.toBe(9092);
  });

  it('lets kafkajs produce with acks=all and consume the same records', async () => {
    const topic = `smoke-${randomUUID()}`;
    const producer = client().producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'd1', value: 'a' },
        { key: 'd1', value: 'b' },
      ],
    });
    await producer.disconnect();
    expect(await consume(topic, 2)).toEqual(['a', 'b']);
  });

  it('keeps acknowledged records across a kill -9 and restart on the same port', async () => {
    const topic = `crash-${randomUUID()}`;
    const producer = client().producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'before-crash' }] });
    await producer.disconnect();

    const pidBefore = kafka().pid;
    await kafka().kill('SIGKILL');
    expect(kafka().running).toBe(false);
    await kafka().restart();

    expect(kafka().pid).not.toBe(pidBefore);
    expect(await consume(topic, 1)).toEqual(['before-crash']);
  });
});
