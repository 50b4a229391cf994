import { afterEach, describe, expect, it } from '@jest/globals';
import { defineErrors } from '@realtime-platform/errors';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import {
  KafkajsMessageBus,
  SdkMetrics,
  deadLetterHeaders,
  jsonCodec,
  kafkaBrokersCheck,
  kafkaConsumersCheck,
  sdkErrors,
  type ConsumedRecord,
  type KafkaBusInput,
  type Subscription,
} from '../../src/index.js';
import { committedTotal, createTopic, rawKafka, readAll } from '../helpers/kafka-admin.js';
import { eventually } from '../helpers/ws-client.js';

const kafka = useKafkaBroker();

const testErrors = defineErrors('TEST_ERR', {
  DOWNSTREAM_BUSY: { message: () => 'downstream busy', retriable: true },
  BAD_READING: { message: () => 'bad reading' },
});

interface Reading {
  deviceId: string;
  n: number;
}

const buses: KafkajsMessageBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

async function bus(overrides: Partial<KafkaBusInput> = {}): Promise<KafkajsMessageBus> {
  const created = new KafkajsMessageBus({
    brokers: [kafka().bootstrapServers],
    security: kafka().busSecurity(),
    clientId: 'kafka-consumer-test',
    consumerGroup: `group-${Math.random().toString(36).slice(2)}`,
    instanceId: 'pod-a',
    retry: { initialDelayMs: 20, maxDelayMs: 50, factor: 2, jitter: 0 },
    ...overrides,
  });
  buses.push(created);
  await created.connect();
  return created;
}

const readings = (count: number, from = 0): { key: string; value: Reading }[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `d${(from + i) % 3}`,
    value: { deviceId: `d${(from + i) % 3}`, n: from + i },
  }));

describe('KafkajsMessageBus (real Kafka)', () => {
  it('subscribe(shared) should hand every record to the handler and commit only handled ones', async () => {
    const topic = await createTopic(kafka(), 'shared');
    const producer = await bus();
    const consumer = await bus();
    const seen: Reading[] = [];
    const subscription = await consumer.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<Reading>(),
      handler: (record) => {
        seen.push(record.value);
      },
    });
    await subscription.waitUntilJoined();
    await producer.publish(topic, readings(30), jsonCodec<Reading>());
    await eventually(() => seen.length === 30, 20_000, '30 records handled');
    // In order per device (key → partition).
    for (const device of ['d0', 'd1', 'd2']) {
      const ns = seen.filter((r) => r.deviceId === device).map((r) => r.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
    await eventually(
      async () => (await committedTotal(kafka(), subscription.groupId, topic)) === 30,
    );
  });

  it('publish should fail with a coded error before connect', async () => {
    const unconnected = new KafkajsMessageBus({
      brokers: [kafka().bootstrapServers],
      security: kafka().busSecurity(),
      clientId: 'x',
      consumerGroup: 'x',
      instanceId: 'x',
    });
    await expect(unconnected.publish('t', [{ value: 1 }], jsonCodec())).rejects.toMatchObject({
      code: sdkErrors.KAFKA_NOT_STARTED.code,
    });
  });

  it('subscribe should refuse a topic that does not exist', async () => {
    const consumer = await bus();
    await expect(
      consumer.subscribe({
        topics: ['no-such-topic-here'],
        mode: 'shared',
        codec: jsonCodec(),
        handler: () => undefined,
      }),
    ).rejects.toMatchObject({ code: sdkErrors.KAFKA_TOPIC_NOT_FOUND.code, retriable: true });
  });

  it('a malformed record should land in <topic>.dlq with reason headers while the consumer continues', async () => {
    const topic = await createTopic(kafka(), 'malformed', 1);
    const consumer = await bus();
    const seen: number[] = [];
    const subscription = await consumer.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<Reading>(),
      handler: (record) => {
        seen.push(record.value.n);
      },
    });
    const producer = rawKafka(kafka()).producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'd1', value: JSON.stringify({ deviceId: 'd1', n: 1 }) },
        { key: 'd1', value: 'this is {not json', headers: { traceparent: 'abc' } },
        { key: 'd1', value: JSON.stringify({ deviceId: 'd1', n: 3 }) },
      ],
    });
    await producer.disconnect();
    await eventually(() => seen.length === 2, 20_000, 'both valid records handled');
    expect(seen).toEqual([1, 3]);

    const [dead] = await readAll(kafka(), dlqTopicName(topic), 1);
    const header = (name: string): string | undefined => dead?.headers?.[name]?.toString();
    expect(dead?.value?.toString()).toBe('this is {not json');
    expect(dead?.key?.toString()).toBe('d1');
    expect(header(deadLetterHeaders.reason)).toBe('decode');
    expect(header(deadLetterHeaders.errorCode)).toBe(sdkErrors.CODEC_DECODE_FAILED.code);
    expect(header(deadLetterHeaders.errorMessage)).toMatch(/could not be decoded/);
    expect(header(deadLetterHeaders.originalTopic)).toBe(topic);
    expect(header(deadLetterHeaders.originalPartition)).toBe('0');
    expect(header(deadLetterHeaders.originalOffset)).toBe('1');
    expect(header(deadLetterHeaders.consumerGroup)).toBe(subscription.groupId);
    expect(header('traceparent')).toBe('abc');
    // The malformed record is committed too: a restart does not loop on it.
    await eventually(
      async () => (await committedTotal(kafka(), subscription.groupId, topic)) === 3,
    );
  });

  it('a retriable handler error should be retried with backoff until it succeeds', async () => {
    const topic = await createTopic(kafka(), 'retriable', 1);
    const metrics = new SdkMetrics({ defaultMetrics: false });
    const consumer = await bus({ metrics });
    const attempts: number[] = [];
    let handled = false;
    await consumer.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<Reading>(),
      handler: (_record, { attempt }) => {
        attempts.push(attempt);
        if (attempt < 3) throw testErrors.DOWNSTREAM_BUSY(undefined);
        handled = true;
      },
    });
    await consumer.publish(topic, readings(1), jsonCodec<Reading>());
    await eventually(() => handled, 20_000, 'third attempt');
    expect(attempts).toEqual([1, 2, 3]);
    const text = await metrics.render();
    expect(text).toMatch(
      new RegExp(
        `rtp_kafka_handler_errors_total\\{topic="${topic}",code="TEST_ERR_DOWNSTREAM_BUSY",retriable="true"\\} 2`,
      ),
    );
    expect(text).not.toMatch(new RegExp(`rtp_kafka_dlq_records_total\\{topic="${topic}"`));
  });

  it('a non-retriable handler error should dead-letter at once; a retriable one should be retried until it passes, never dead-lettered', async () => {
    const topic = await createTopic(kafka(), 'failing', 1);
    const metrics = new SdkMetrics({ defaultMetrics: false });
    const consumer = await bus({ metrics });
    const attemptsByN = new Map<number, number>();
    const handled: number[] = [];
    let retryingGauge = '';
    await consumer.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<Reading>(),
      handler: async ({ value }: ConsumedRecord<Reading>, { attempt }) => {
        attemptsByN.set(value.n, attempt);
        if (value.n === 0) throw testErrors.BAD_READING(undefined);
        // Far more attempts than any old retry limit: an outage that outlasts them loses nothing.
        if (value.n === 1 && attempt < 12) {
          if (attempt === 11) retryingGauge = await metrics.render();
          throw testErrors.DOWNSTREAM_BUSY(undefined);
        }
        if (value.n === 2) throw new Error('a plain error is not retriable');
        handled.push(value.n);
      },
    });
    await consumer.publish(
      topic,
      readings(4).map((r) => ({ ...r, key: 'same' })),
      jsonCodec<Reading>(),
    );
    await eventually(() => handled.includes(3), 30_000, 'the record after the failures');
    expect(attemptsByN.get(0)).toBe(1);
    expect(attemptsByN.get(1)).toBe(12);
    expect(attemptsByN.get(2)).toBe(1);
    expect(handled).toEqual([1, 3]);
    // While the retriable failure lasted, the partition was reported as waiting; then not.
    expect(retryingGauge).toMatch(/rtp_kafka_consumer_retrying\{group="[^"]+"\} 1/);
    expect(await metrics.render()).toMatch(/rtp_kafka_consumer_retrying\{group="[^"]+"\} 0/);

    const dead = await readAll(kafka(), dlqTopicName(topic), 2);
    const summary = dead.map((m) => ({
      n: (JSON.parse(m.value?.toString() ?? '{}') as Reading).n,
      reason: m.headers?.[deadLetterHeaders.reason]?.toString(),
      code: m.headers?.[deadLetterHeaders.errorCode]?.toString(),
      attempts: m.headers?.[deadLetterHeaders.attempts]?.toString(),
      retriable: m.headers?.[deadLetterHeaders.retriable]?.toString(),
    }));
    expect(summary).toEqual([
      { n: 0, reason: 'handler', code: 'TEST_ERR_BAD_READING', attempts: '1', retriable: 'false' },
      { n: 2, reason: 'handler', code: 'Error', attempts: '1', retriable: 'false' },
    ]);
    // Nothing else reaches the DLQ: the retried record is not in it.
    await expect(readAll(kafka(), dlqTopicName(topic), 3, 3000)).rejects.toThrow(
      /only 2\/3 records/,
    );
  });

  it('stop() should commit what was handled so a restarted shared consumer does not re-read it', async () => {
    const topic = await createTopic(kafka(), 'shutdown', 2);
    const groupId = `shutdown-${Math.random().toString(36).slice(2)}`;
    const producer = await bus();
    await producer.publish(topic, readings(20), jsonCodec<Reading>());

    const first: number[] = [];
    const consumerA = await bus({ consumerGroup: groupId, commitIntervalMs: 60_000 });
    const subscriptionA = await consumerA.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<Reading>(),
      handler: ({ value }) => {
        first.push(value.n);
      },
    });
    await eventually(() => first.length === 20, 20_000, 'first 20');
    await subscriptionA.stop();
    expect(await committedTotal(kafka(), groupId, topic)).toBe(20);

    await producer.publish(topic, readings(5, 100), jsonCodec<Reading>());
    const second: number[] = [];
    const consumerB = await bus({ consumerGroup: groupId });
    await consumerB.subscribe({
      topics: [topic],
      mode: 'shared',
      fromBeginning: true,
      codec: jsonCodec<Reading>(),
      handler: ({ value }) => {
        second.push(value.n);
      },
    });
    await eventually(() => second.length >= 5, 20_000, 'the 5 new records');
    // Give a re-read a chance to show up before asserting it did not happen.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.sort((a, b) => a - b)).toEqual([100, 101, 102, 103, 104]);
  });

  it('subscribe(broadcast) should deliver every record produced after subscribe() to every instance, each in a group of its own', async () => {
    const topic = await createTopic(kafka(), 'broadcast', 3);
    const producer = await bus();
    // Produced before the subscriptions: a broadcast subscription starts at the end, never sees these.
    await producer.publish(topic, readings(3, 1000), jsonCodec<Reading>());
    const instances = await Promise.all(
      ['pod-a', 'pod-b'].map((instanceId) => bus({ instanceId, consumerGroup: 'gateway' })),
    );
    const seen = new Map<string, number[]>();
    const subscriptions: Subscription[] = [];
    for (const instance of instances) {
      const subscription = await instance.subscribe({
        topics: [topic],
        mode: 'broadcast',
        codec: jsonCodec<Reading>(),
        handler: ({ value }) => {
          const id = instance.options.instanceId;
          seen.set(id, [...(seen.get(id) ?? []), value.n]);
        },
      });
      subscriptions.push(subscription);
    }
    expect(subscriptions[0]?.groupId).toMatch(/^gateway-pod-a-[0-9a-f]{8}$/);
    expect(subscriptions[1]?.groupId).toMatch(/^gateway-pod-b-[0-9a-f]{8}$/);
    // Right after subscribe() resolved - possibly before the groups joined: nothing may be missed.
    await producer.publish(topic, readings(12), jsonCodec<Reading>());
    await eventually(
      () => (seen.get('pod-a')?.length ?? 0) >= 12 && (seen.get('pod-b')?.length ?? 0) >= 12,
      20_000,
      'both instances saw 12',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const instanceId of ['pod-a', 'pod-b']) {
      expect([...(seen.get(instanceId) ?? [])].sort((a, b) => a - b)).toEqual(
        readings(12).map((r) => r.value.n),
      );
    }
    await Promise.all(subscriptions.map((s) => s.waitUntilJoined()));
    expect(await kafkaConsumersCheck(instances[0] as KafkajsMessageBus)()).toMatchObject({
      ok: true,
    });
    expect(await kafkaBrokersCheck(instances[0] as KafkajsMessageBus)()).toMatchObject({
      ok: true,
    });
  });
});
