import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { defineErrors } from '@realtime-platform/errors';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import { createTopic, eventually } from '@realtime-platform/testkit';
import {
  SdkMetrics,
  deadLetterHeaders,
  jsonCodec,
  kafkaBrokersCheck,
  kafkaConsumersCheck,
  sdkErrors,
  type BatchResult,
  type Codec,
  type ConsumedRecord,
  type KafkaBusInput,
  type KafkaBusOptions,
  type MessageBus,
  type Subscription,
} from '../../../src/index.js';
import { committedTotal, rawKafka, readAll } from '../../helpers/kafka-admin.js';

/** A MessageBus adapter under test, and how to make one. */
export type ContractBus = MessageBus & { readonly options: KafkaBusOptions };

export interface BusAdapter {
  /** What the describe blocks are named after, e.g. `PlatformaticMessageBus`. */
  readonly name: string;
  create(input: KafkaBusInput): ContractBus;
}

const testErrors = defineErrors('TEST_ERR', {
  DOWNSTREAM_BUSY: { message: () => 'downstream busy', retriable: true },
  REGISTRY_AWAY: { message: () => 'schema registry away', retriable: true },
  BAD_READING: { message: (p: { n: number }) => `bad reading ${p.n}` },
  POISON: { message: (p: { n: number }) => `poison ${p.n}` },
});

interface Reading {
  deviceId: string;
  n: number;
}

const readings = (count: number, from = 0): { key: string; value: Reading }[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `d${(from + i) % 3}`,
    value: { deviceId: `d${(from + i) % 3}`, n: from + i },
  }));

const reading = (n: number, deviceId = `d${n % 3}`): string => JSON.stringify({ deviceId, n });

/** Splits each reading into an `even`/`odd` record. */
function splitTo(even: string, odd: string) {
  return (records: readonly ConsumedRecord<Reading>[]): BatchResult => ({
    outputs: [
      {
        topic: even,
        codec: jsonCodec<Reading>(),
        records: records
          .filter((r) => r.value.n % 2 === 0)
          .map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })),
      },
      {
        topic: odd,
        codec: jsonCodec<Reading>(),
        records: records
          .filter((r) => r.value.n % 2 === 1)
          .map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })),
      },
    ],
  });
}

/**
 * A JSON codec whose decode fails with a retriable coded error (the Schema Registry away) for the
 * first `failures` attempts of every record whose n is in `failing`.
 */
function flakyDecoding(failing: ReadonlySet<number>, failures: number) {
  const inner = jsonCodec<Reading>();
  const attempts = new Map<number, number>();
  const codec: Codec<Reading> = {
    name: 'flaky-json',
    encode: (value, context) => inner.encode(value, context),
    decode: (bytes, context) => {
      const value = inner.decode(bytes, context) as Reading;
      if (!failing.has(value.n)) return value;
      const attempt = (attempts.get(value.n) ?? 0) + 1;
      attempts.set(value.n, attempt);
      if (attempt <= failures) throw testErrors.REGISTRY_AWAY(undefined);
      return value;
    },
  };
  return { codec, attempts };
}

/**
 * The MessageBus contract: what every adapter must do against a real broker (one per test file,
 * so the adapters' files run side by side). Delivery and commits, shared vs broadcast groups, DLQ,
 * retriable failures (decode and handler) retried until they pass and never dead-lettered, the
 * batch handler, `HandlerContext.assignment`, and last - it kills the broker - kill -9 recovery
 * with the idempotent producer losing no acknowledged record.
 */
export function describeMessageBusContract(adapter: BusAdapter): void {
  const kafka = useKafkaBroker();

  const buses: ContractBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  async function bus(overrides: Partial<KafkaBusInput> = {}): Promise<ContractBus> {
    const created = adapter.create({
      brokers: [kafka().bootstrapServers],
      security: kafka().busSecurity(),
      clientId: 'kafka-contract-test',
      consumerGroup: `group-${Math.random().toString(36).slice(2)}`,
      instanceId: 'pod-a',
      retry: { initialDelayMs: 20, maxDelayMs: 50, factor: 2, jitter: 0 },
      ...overrides,
    });
    buses.push(created);
    await created.connect();
    return created;
  }

  async function produce(
    topic: string,
    messages: {
      key: string;
      value: string;
      headers?: Record<string, string>;
      timestamp?: string;
    }[],
  ): Promise<void> {
    const producer = rawKafka(kafka()).producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
  }

  describe(`${adapter.name} (real Kafka)`, () => {
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
      await eventually(() => seen.length === 30, { timeoutMs: 20_000, what: '30 records handled' });
      // In order per device (key → partition).
      for (const device of ['d0', 'd1', 'd2']) {
        const ns = seen.filter((r) => r.deviceId === device).map((r) => r.n);
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
      }
      await eventually(
        async () => (await committedTotal(kafka(), subscription.groupId, topic)) === 30,
        { timeoutMs: 20_000 },
      );
    });

    it('publish should fail with a coded error before connect', async () => {
      const unconnected = adapter.create({
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
      await eventually(() => seen.length === 2, {
        timeoutMs: 20_000,
        what: 'both valid records handled',
      });
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
        { timeoutMs: 20_000 },
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
      await eventually(() => handled, { timeoutMs: 20_000, what: 'third attempt' });
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
          if (value.n === 0) throw testErrors.BAD_READING({ n: 0 });
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
      await eventually(() => handled.includes(3), {
        timeoutMs: 30_000,
        what: 'the record after the failures',
      });
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
        {
          n: 0,
          reason: 'handler',
          code: 'TEST_ERR_BAD_READING',
          attempts: '1',
          retriable: 'false',
        },
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
      await eventually(() => first.length === 20, { timeoutMs: 20_000, what: 'first 20' });
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
      await eventually(() => second.length >= 5, { timeoutMs: 20_000, what: 'the 5 new records' });
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
        { timeoutMs: 20_000, what: 'both instances saw 12' },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const instanceId of ['pod-a', 'pod-b']) {
        expect([...(seen.get(instanceId) ?? [])].sort((a, b) => a - b)).toEqual(
          readings(12).map((r) => r.value.n),
        );
      }
      await Promise.all(subscriptions.map((s) => s.waitUntilJoined()));
      expect(await kafkaConsumersCheck(instances[0] as ContractBus)()).toMatchObject({
        ok: true,
      });
      expect(await kafkaBrokersCheck(instances[0] as ContractBus)()).toMatchObject({
        ok: true,
      });
    });

    it('should produce the outputs for several topics with the keys and timestamps given, then commit every input offset', async () => {
      const input = await createTopic(kafka(), 'batch-in', 2);
      const even = await createTopic(kafka(), 'batch-even', 2);
      const odd = await createTopic(kafka(), 'batch-odd', 2);
      const metrics = new SdkMetrics({ defaultMetrics: false });
      const consumer = await bus({ metrics });
      const batchSizes: number[] = [];
      const split = splitTo(even, odd);
      const subscription = await consumer.subscribe({
        topics: [input],
        mode: 'shared',
        fromBeginning: true,
        codec: jsonCodec<Reading>(),
        maxBatchRecords: 7,
        batchHandler: (records) => {
          batchSizes.push(records.length);
          return split(records);
        },
      });
      const timestamp = '1767225600000';
      await produce(
        input,
        Array.from({ length: 40 }, (_, n) => ({ key: `d${n % 3}`, value: reading(n), timestamp })),
      );
      const evens = await readAll(kafka(), even, 20);
      const odds = await readAll(kafka(), odd, 20);
      const ns = (messages: typeof evens): number[] =>
        messages
          .map((m) => (JSON.parse(m.value?.toString() ?? '') as Reading).n)
          .sort((a, b) => a - b);
      expect(ns(evens)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
      expect(ns(odds)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 1));
      for (const message of [...evens, ...odds]) {
        const value = JSON.parse(message.value?.toString() ?? '') as Reading;
        expect(message.key?.toString()).toBe(value.deviceId);
        expect(message.timestamp).toBe(timestamp);
      }
      // Handler calls never exceed maxBatchRecords.
      expect(Math.max(...batchSizes)).toBeLessThanOrEqual(7);
      await eventually(
        async () => (await committedTotal(kafka(), subscription.groupId, input)) === 40,
        { timeoutMs: 20_000 },
      );
      const produced = await metrics.registry.getSingleMetricAsString(
        'rtp_kafka_records_produced_total',
      );
      expect(produced).toContain(`topic="${even}"} 20`);
      expect(produced).toContain(`topic="${odd}"} 20`);
    });

    it('should not commit a batch whose outputs are not yet acknowledged (handler still running)', async () => {
      const input = await createTopic(kafka(), 'batch-gate', 1);
      const out = await createTopic(kafka(), 'batch-gate-out', 1);
      const consumer = await bus({ commitIntervalMs: 50 });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let calls = 0;
      const subscription = await consumer.subscribe({
        topics: [input],
        mode: 'shared',
        fromBeginning: true,
        codec: jsonCodec<Reading>(),
        batchHandler: async (records) => {
          calls += 1;
          await gate;
          return {
            outputs: [
              {
                topic: out,
                codec: jsonCodec<Reading>(),
                records: records.map((r) => ({ key: r.key, value: r.value })),
              },
            ],
          };
        },
      });
      await produce(
        input,
        Array.from({ length: 10 }, (_, n) => ({ key: 'd1', value: reading(n, 'd1') })),
      );
      await eventually(() => calls > 0, { timeoutMs: 20_000, what: 'the handler was called' });
      // Several commit intervals pass while the handler holds the batch: nothing is committed.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await committedTotal(kafka(), subscription.groupId, input)).toBe(0);
      release();
      await readAll(kafka(), out, 10);
      await eventually(
        async () => (await committedTotal(kafka(), subscription.groupId, input)) === 10,
        { timeoutMs: 20_000 },
      );
    });

    it('should send rejected and undecodable records to <topic>.dlq in the same batch, with reason headers, and go on', async () => {
      const input = await createTopic(kafka(), 'batch-dlq', 1);
      const out = await createTopic(kafka(), 'batch-dlq-out', 1);
      const metrics = new SdkMetrics({ defaultMetrics: false });
      const consumer = await bus({ metrics });
      const subscription = await consumer.subscribe({
        topics: [input],
        mode: 'shared',
        fromBeginning: true,
        codec: jsonCodec<Reading>(),
        batchHandler: (records) => {
          const rejected = records.flatMap((record, index) =>
            record.value.n < 0
              ? [{ index, error: testErrors.BAD_READING({ n: record.value.n }) }]
              : [],
          );
          return {
            rejected,
            outputs: [
              {
                topic: out,
                codec: jsonCodec<Reading>(),
                records: records
                  .filter((r) => r.value.n >= 0)
                  .map((r) => ({ key: r.key, value: r.value })),
              },
            ],
          };
        },
      });
      await produce(input, [
        { key: 'd1', value: reading(1, 'd1') },
        { key: 'd1', value: 'this is {not json', headers: { traceparent: 'abc' } },
        { key: 'd1', value: reading(-5, 'd1') },
        { key: 'd1', value: reading(4, 'd1') },
      ]);
      const outputs = await readAll(kafka(), out, 2);
      expect(outputs.map((m) => (JSON.parse(m.value?.toString() ?? '') as Reading).n)).toEqual([
        1, 4,
      ]);
      const dead = await readAll(kafka(), dlqTopicName(input), 2);
      const header = (index: number, name: string): string | undefined =>
        dead[index]?.headers?.[name]?.toString();
      // Undecodable first, then the handler's rejections.
      expect(dead[0]?.value?.toString()).toBe('this is {not json');
      expect(header(0, deadLetterHeaders.reason)).toBe('decode');
      expect(header(0, deadLetterHeaders.errorCode)).toBe(sdkErrors.CODEC_DECODE_FAILED.code);
      expect(header(0, deadLetterHeaders.originalOffset)).toBe('1');
      expect(header(0, deadLetterHeaders.attempts)).toBe('0');
      expect(header(0, 'traceparent')).toBe('abc');
      expect(dead[1]?.value?.toString()).toBe(reading(-5, 'd1'));
      expect(header(1, deadLetterHeaders.reason)).toBe('handler');
      expect(header(1, deadLetterHeaders.errorCode)).toBe(testErrors.BAD_READING.code);
      expect(header(1, deadLetterHeaders.errorMessage)).toBe('bad reading -5');
      expect(header(1, deadLetterHeaders.retriable)).toBe('false');
      expect(header(1, deadLetterHeaders.originalOffset)).toBe('2');
      expect(header(1, deadLetterHeaders.consumerGroup)).toBe(subscription.groupId);
      expect(header(1, deadLetterHeaders.attempts)).toBe('1');
      await eventually(
        async () => (await committedTotal(kafka(), subscription.groupId, input)) === 4,
        { timeoutMs: 20_000 },
      );
      const dlq = await metrics.registry.getSingleMetricAsString('rtp_kafka_dlq_records_total');
      expect(dlq).toContain(`topic="${input}",reason="decode"} 1`);
      expect(dlq).toContain(`topic="${input}",reason="handler"} 1`);
    });

    it('a retriable error should retry the whole batch until it passes; a non-retriable one should isolate the poison record and dead-letter only it', async () => {
      const input = await createTopic(kafka(), 'batch-retry', 1);
      const out = await createTopic(kafka(), 'batch-retry-out', 1);
      const consumer = await bus();
      const calls: { attempt: number; ns: number[] }[] = [];
      // More busy attempts than any old retry limit: infrastructure trouble never dead-letters.
      let busy = 6;
      const subscription = await consumer.subscribe({
        topics: [input],
        mode: 'shared',
        fromBeginning: true,
        codec: jsonCodec<Reading>(),
        batchHandler: (records, { attempt }) => {
          calls.push({ attempt, ns: records.map((r) => r.value.n) });
          if (busy > 0) {
            busy -= 1;
            throw testErrors.DOWNSTREAM_BUSY(undefined as never);
          }
          const poison = records.find((r) => r.value.n === 13);
          if (poison !== undefined) throw testErrors.POISON({ n: 13 });
          return {
            outputs: [
              {
                topic: out,
                codec: jsonCodec<Reading>(),
                records: records.map((r) => ({ key: r.key, value: r.value })),
              },
            ],
          };
        },
      });
      await produce(
        input,
        [11, 12, 13, 14].map((n) => ({ key: 'd1', value: reading(n, 'd1') })),
      );
      const outputs = await readAll(kafka(), out, 3);
      expect(outputs.map((m) => (JSON.parse(m.value?.toString() ?? '') as Reading).n)).toEqual([
        11, 12, 14,
      ]);
      const [dead] = await readAll(kafka(), dlqTopicName(input), 1);
      expect(dead?.value?.toString()).toBe(reading(13, 'd1'));
      expect(dead?.headers?.[deadLetterHeaders.errorCode]?.toString()).toBe(testErrors.POISON.code);
      expect(dead?.headers?.[deadLetterHeaders.reason]?.toString()).toBe('handler');
      // Six attempts busy, the seventh hit the poison, then one record at a time.
      expect(calls.slice(0, 7)).toEqual(
        [1, 2, 3, 4, 5, 6, 7].map((attempt) => ({ attempt, ns: [11, 12, 13, 14] })),
      );
      expect(calls.slice(7).map((c) => c.ns)).toEqual([[11], [12], [13], [14]]);
      await eventually(
        async () => (await committedTotal(kafka(), subscription.groupId, input)) === 4,
        { timeoutMs: 20_000 },
      );
    });

    it('subscribe should want exactly one of handler and batchHandler', async () => {
      const input = await createTopic(kafka(), 'batch-options', 1);
      const consumer = await bus();
      const base = { topics: [input], mode: 'shared' as const, codec: jsonCodec<Reading>() };
      await expect(consumer.subscribe(base)).rejects.toMatchObject({
        code: sdkErrors.OPTIONS_INVALID.code,
        message: expect.stringContaining('exactly one of handler and batchHandler'),
      });
      await expect(
        consumer.subscribe({ ...base, handler: () => undefined, batchHandler: () => undefined }),
      ).rejects.toMatchObject({ code: sdkErrors.OPTIONS_INVALID.code });
      await expect(
        consumer.subscribe({ ...base, batchHandler: () => undefined, maxBatchRecords: 0 }),
      ).rejects.toMatchObject({ code: sdkErrors.OPTIONS_INVALID.code });
    });

    it('a retriable decode failure (registry away) should wait until the record decodes, never dead-letter it', async () => {
      const topic = await createTopic(kafka(), 'decode-waits', 1);
      const consumer = await bus();
      const { codec, attempts } = flakyDecoding(new Set([1]), 5);
      const handled: number[] = [];
      await consumer.subscribe({
        topics: [topic],
        mode: 'shared',
        fromBeginning: true,
        codec,
        handler: ({ value }) => {
          handled.push(value.n);
        },
      });
      await produce(
        topic,
        [0, 1, 2].map((n) => ({ key: 'd1', value: reading(n, 'd1') })),
      );
      await eventually(() => handled.length === 3, {
        timeoutMs: 20_000,
        what: 'all three handled',
      });
      // In order: the partition waited for record 1.
      expect(handled).toEqual([0, 1, 2]);
      expect(attempts.get(1)).toBe(6);
      await expect(readAll(kafka(), dlqTopicName(topic), 1, 2000)).rejects.toThrow(
        /only 0\/1 records/,
      );
    });

    it('batch mode: a retriable decode failure should hold the chunk until it decodes, never dead-letter it', async () => {
      const input = await createTopic(kafka(), 'batch-decode-waits', 1);
      const out = await createTopic(kafka(), 'batch-decode-waits-out', 1);
      const consumer = await bus();
      const { codec, attempts } = flakyDecoding(new Set([12]), 4);
      const subscription = await consumer.subscribe({
        topics: [input],
        mode: 'shared',
        fromBeginning: true,
        codec,
        batchHandler: (records) => ({
          outputs: [
            {
              topic: out,
              codec: jsonCodec<Reading>(),
              records: records.map((r) => ({ key: r.key, value: r.value })),
            },
          ],
        }),
      });
      await produce(
        input,
        [11, 12, 13].map((n) => ({ key: 'd1', value: reading(n, 'd1') })),
      );
      const outputs = await readAll(kafka(), out, 3);
      expect(outputs.map((m) => (JSON.parse(m.value?.toString() ?? '') as Reading).n)).toEqual([
        11, 12, 13,
      ]);
      expect(attempts.get(12)).toBe(5);
      await eventually(
        async () => (await committedTotal(kafka(), subscription.groupId, input)) === 3,
        { timeoutMs: 20_000 },
      );
      await expect(readAll(kafka(), dlqTopicName(input), 1, 2000)).rejects.toThrow(
        /only 0\/1 records/,
      );
    });

    it('HandlerContext.assignment should grow at every join of the group (another member joins, then leaves)', async () => {
      const topic = await createTopic(kafka(), 'assignment', 3);
      const groupId = `assignment-${Math.random().toString(36).slice(2)}`;
      const producer = await bus();
      const first = await bus({ consumerGroup: groupId, instanceId: 'pod-a' });
      const seen: number[] = [];
      const subscription = await first.subscribe({
        topics: [topic],
        mode: 'shared',
        fromBeginning: true,
        codec: jsonCodec<Reading>(),
        handler: (_record, { assignment }) => {
          seen.push(assignment);
        },
      });
      await subscription.waitUntilJoined();
      let n = 0;
      /** Publishes to every partition until the first member handled a record of `assignment`. */
      const until = async (assignment: number, what: string): Promise<void> => {
        await eventually(
          async () => {
            // One record for each of the three partitions: whichever the first member holds.
            const records = [0, 1, 2].map((partition) => ({
              partition,
              value: { deviceId: `d${partition}`, n: (n += 1) },
            }));
            await producer.publish(topic, records, jsonCodec<Reading>());
            return seen.includes(assignment);
          },
          { timeoutMs: 30_000, what: what },
        );
      };
      await until(1, 'records of the first assignment');
      const second = await bus({ consumerGroup: groupId, instanceId: 'pod-b' });
      const other = await second.subscribe({
        topics: [topic],
        mode: 'shared',
        codec: jsonCodec<Reading>(),
        handler: () => undefined,
      });
      await other.waitUntilJoined();
      await until(2, 'records after the second member joined');
      await other.stop();
      await until(3, 'records after the second member left');
      // Never smaller than before: a handler reloads its state when the number changes.
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen[0]).toBe(1);
    });
  });

  describe(`${adapter.name} across a broker crash (kill -9 and restart)`, () => {
    const recoveryBuses: ContractBus[] = [];
    afterAll(async () => {
      await Promise.all(recoveryBuses.map((created) => created.close()));
    });

    function recoveryBus(name: string): ContractBus {
      const created = adapter.create({
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
      recoveryBuses.push(created);
      return created;
    }

    it('should resume consuming after the broker comes back, losing no acknowledged record', async () => {
      const topic = await createTopic(kafka(), 'crash', 3);
      const producer = recoveryBus('crash-producer');
      const consumer = recoveryBus('crash-consumer');
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

      await eventually(() => received.size >= 100, {
        timeoutMs: 20_000,
        what: '100 records before the crash',
      });
      await kafka().kill('SIGKILL');
      expect(kafka().running).toBe(false);
      await eventually(async () => !(await kafkaConsumersCheck(consumer)()).ok, {
        timeoutMs: 20_000,
        what: 'readiness to notice',
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await kafka().restart();

      const afterRestart = acknowledged.size;
      await eventually(() => acknowledged.size >= afterRestart + 100, {
        timeoutMs: 60_000,
        what: '100 acknowledged records after the restart',
      });
      stopProducing = true;
      await producing;

      await eventually(() => [...acknowledged].every((n) => received.has(n)), {
        timeoutMs: 60_000,
        what: 'every acknowledged record consumed',
      });
      expect((await kafkaConsumersCheck(consumer)()).ok).toBe(true);
      expect((await consumer.checkReachable()).ok).toBe(true);
      const missing = [...acknowledged].filter((n) => !received.has(n));
      expect(missing).toEqual([]);
    }, 180_000);
  });
}
