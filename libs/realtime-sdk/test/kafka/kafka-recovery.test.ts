import { afterAll, describe, expect, it } from '@jest/globals';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { KafkajsMessageBus, jsonCodec, kafkaConsumersCheck } from '../../src/index.js';
import { createTopic } from '../helpers/kafka-admin.js';
import { eventually } from '../helpers/ws-client.js';

const kafka = useKafkaBroker();

const buses: KafkajsMessageBus[] = [];
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
});

function newBus(name: string): KafkajsMessageBus {
  const bus = new KafkajsMessageBus({
    brokers: [kafka().bootstrapServers],
    security: kafka().busSecurity(),
    clientId: name,
    consumerGroup: `${name}-${Math.random().toString(36).slice(2)}`,
    instanceId: 'pod-a',
    // Short backoffs so recovery is quick once the broker is back.
    clientRetry: { retries: 8, initialRetryTimeMs: 200, maxRetryTimeMs: 2000 },
    restartDelayMs: { initial: 200, max: 2000 },
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1000,
  });
  buses.push(bus);
  return bus;
}

describe('KafkajsMessageBus across a broker crash (kill -9 and restart)', () => {
  it('should resume consuming after the broker comes back, losing no acknowledged record', async () => {
    const topic = await createTopic(kafka(), 'crash', 3);
    const producer = newBus('crash-producer');
    const consumer = newBus('crash-consumer');
    await producer.connect();
    await consumer.connect();
    const received = new Set<number>();
    const subscription = await consumer.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<{ n: number }>(),
      handler: ({ value }) => {
        received.add(value.n);
      },
    });
    await subscription.waitUntilJoined();

    // Produce in the background: one record every few ms, each acknowledged (acks=all) or retried.
    const acknowledged = new Set<number>();
    let stopProducing = false;
    const producing = (async () => {
      for (let n = 0; !stopProducing; n += 1) {
        try {
          await producer.publish(topic, [{ key: `d${n % 5}`, value: { n } }], jsonCodec());
          acknowledged.add(n);
        } catch {
          // Not acknowledged: the record may or may not exist; only acknowledged ones count.
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    await eventually(() => received.size >= 100, 20_000, '100 records before the crash');
    await kafka().kill('SIGKILL');
    expect(kafka().running).toBe(false);
    await eventually(
      async () => !(await kafkaConsumersCheck(consumer)()).ok,
      20_000,
      'readiness to notice',
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await kafka().restart();

    const afterRestart = acknowledged.size;
    await eventually(
      () => acknowledged.size >= afterRestart + 100,
      60_000,
      '100 acknowledged records after the restart',
    );
    stopProducing = true;
    await producing;

    await eventually(
      () => [...acknowledged].every((n) => received.has(n)),
      60_000,
      'every acknowledged record consumed',
    );
    expect((await kafkaConsumersCheck(consumer)()).ok).toBe(true);
    expect((await consumer.checkReachable()).ok).toBe(true);
    const missing = [...acknowledged].filter((n) => !received.has(n));
    expect(missing).toEqual([]);
  }, 180_000);
});
