import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { eventually } from '../src/index.js';
import { useKafkaCluster } from '../src/jest/index.js';

// Three brokers and three controllers on two shared cores: keep every JVM small.
const kafka = useKafkaCluster({ brokerHeap: '256m', controllerHeap: '128m' });

const client = (clientId: string): Kafka =>
  new Kafka({ clientId, ...kafka().kafkajsConfig(), logLevel: logLevel.NOTHING });

/** Polls `condition` until it holds; fails with `what` (and `progress()`) after `timeoutMs`. */
const waitFor = (
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 45_000,
  progress: () => string = () => '',
): Promise<void> =>
  eventually(condition, { timeoutMs, intervalMs: 200, what: () => `${what} ${progress()}` });

/** The Kafka protocol error type (`NOT_ENOUGH_REPLICAS`, …) anywhere in a kafkajs error's chain. */
function protocolErrorTypes(error: unknown, found: string[] = []): string[] {
  if (typeof error !== 'object' || error === null) return found;
  const e = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string') found.push(e.type);
  protocolErrorTypes(e.cause, found);
  protocolErrorTypes(e.originalError, found);
  if (Array.isArray(e.errors)) for (const inner of e.errors) protocolErrorTypes(inner, found);
  return found;
}

/** Partition → [leader, in-sync replicas] of a topic, as the cluster reports it now. */
async function partitionState(topic: string) {
  const admin = client('durability-admin').admin({ retry: { retries: 10 } });
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]!.partitions.map((p) => ({
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
    }));
  } finally {
    await admin.disconnect();
  }
}

/** Reads the topic from the beginning with a fresh group until `expected` values were all seen. */
async function consumeUntilSeen(
  topic: string,
  expected: ReadonlySet<string>,
): Promise<Set<string>> {
  const seen = new Set<string>();
  const consumer = client('durability-reader').consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.add(message.value?.toString() ?? '');
      },
    });
    const everySeen = () => [...expected].every((value) => seen.has(value));
    await waitFor('every acknowledged record', everySeen, 60_000).catch(() => undefined);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/**
 * Writes batches of ten numbered records with acks=all, one batch at a time, until stopped;
 * remembers which records the cluster acknowledged and when. Each batch goes to one partition
 * (the partitions in turn): kafkajs 2.2.4 loses records of a batch that spans brokers when a
 * partition's leader moves to a broker that already answered for its own partitions (its retry
 * skips brokers with a response, sendMessages.js), and reports the batch as sent - a client bug
 * this test of the cluster must not measure.
 */
function startWriting(producer: Producer, topic: string, partitions: number) {
  const acknowledged = new Set<string>();
  const ackTimes: number[] = [];
  let failures = 0;
  let lastError: unknown;
  let stopped = false;
  let next = 0;
  const done = (async () => {
    while (!stopped) {
      const values = Array.from({ length: 10 }, () => `record-${(next += 1)}`);
      const partition = (next / 10) % partitions;
      try {
        await producer.send({
          topic,
          acks: -1,
          messages: values.map((value) => ({ key: value, value, partition })),
        });
        for (const value of values) acknowledged.add(value);
        ackTimes.push(Date.now());
      } catch (error) {
        failures += 1; // not acknowledged: the producer may not count these as written
        lastError = error;
      }
    }
  })();
  return {
    acknowledged,
    acknowledgedSince: (since: number) => ackTimes.filter((time) => time >= since).length * 10,
    failures: () => failures,
    lastError: () => lastError,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

describe('KafkaCluster (three brokers, RF 3, min.insync.replicas=2)', () => {
  it('keeps every record an acks=all producer got acknowledged while one broker is killed with SIGKILL and restarted', async () => {
    const topic = `durability-${randomUUID()}`;
    await kafka().createTopics([{ topic, numPartitions: 3 }]);
    // The platform's replication factor: three copies of every partition.
    expect((await partitionState(topic)).map((p) => p.replicas.length)).toEqual([3, 3, 3]);

    const producer = client('durability-writer').producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    await producer.connect();
    const writer = startWriting(producer, topic, 3);
    const progress = () =>
      `acknowledged ${writer.acknowledged.size}, failed sends ${writer.failures()}, last error ${String(writer.lastError())}`;
    try {
      await waitFor(
        'records before the crash',
        () => writer.acknowledged.size >= 200,
        45_000,
        progress,
      );
      const victim = (await partitionState(topic))[0]!.leader;
      const killedAt = Date.now();
      await kafka().kill(victim, 'SIGKILL');
      // Writes go on with the leader of partition 0 dead: the others take over its partitions.
      await waitFor(
        'writes acknowledged with a broker down',
        () => writer.acknowledgedSince(killedAt) >= 200,
        45_000,
        progress,
      );
      await kafka().restart(victim);
      await waitFor('the restarted broker back in every in-sync replica set', async () =>
        (await partitionState(topic)).every((p) => p.isr.includes(victim)),
      );
      const restartedAt = Date.now();
      await waitFor(
        'writes after the restart',
        () => writer.acknowledgedSince(restartedAt) >= 200,
        45_000,
        progress,
      );
    } finally {
      await writer.stop();
      await producer.disconnect();
    }

    const seen = await consumeUntilSeen(topic, writer.acknowledged);
    const lost = [...writer.acknowledged].filter((value) => !seen.has(value));
    expect(writer.acknowledged.size).toBeGreaterThanOrEqual(600);
    expect(lost).toEqual([]);
  }, 240_000);

  it('refuses writes with NOT_ENOUGH_REPLICAS instead of acknowledging one copy when two brokers are down', async () => {
    const topic = `refusal-${randomUUID()}`;
    await kafka().createTopics([{ topic, numPartitions: 1 }]);
    const survivor = (await partitionState(topic))[0]!.leader;
    const others = [0, 1, 2].filter((index) => index !== survivor);
    const producer = client('refusal-writer').producer({
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      for (const index of others) await kafka().kill(index, 'SIGKILL');
      const acknowledged: string[] = [];
      const refusals: string[] = [];
      // Until the controllers fence the dead brokers the leader waits for them (a timeout, not an
      // acknowledgement); then it knows it is the only in-sync replica and refuses at once.
      await waitFor(
        'a NOT_ENOUGH_REPLICAS refusal',
        async () => {
          const value = `refused-${randomUUID()}`;
          try {
            await producer.send({ topic, acks: -1, timeout: 3000, messages: [{ value }] });
            acknowledged.push(value);
          } catch (error) {
            refusals.push(...protocolErrorTypes(error));
          }
          return refusals.includes('NOT_ENOUGH_REPLICAS');
        },
        60_000,
      );
      expect(acknowledged).toEqual([]);

      // One broker back: two in-sync copies again, and writes are acknowledged.
      await kafka().restart(others[0]!);
      await waitFor(
        'two in-sync replicas',
        async () => (await partitionState(topic))[0]!.isr.length >= 2,
      );
      await expect(
        producer.send({ topic, acks: -1, messages: [{ value: 'after-recovery' }] }),
      ).resolves.toBeDefined();
    } finally {
      await producer.disconnect();
      for (const index of others) await kafka().restart(index);
    }
  }, 180_000);
});
