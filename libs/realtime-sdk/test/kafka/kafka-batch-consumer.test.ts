import { afterEach, describe, expect, it } from '@jest/globals';
import { defineErrors } from '@realtime-platform/errors';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import {
  KafkajsMessageBus,
  SdkMetrics,
  deadLetterHeaders,
  jsonCodec,
  sdkErrors,
  type BatchResult,
  type ConsumedRecord,
  type KafkaBusInput,
} from '../../src/index.js';
import { committedTotal, createTopic, rawKafka, readAll } from '../helpers/kafka-admin.js';
import { eventually } from '../helpers/ws-client.js';

/**
 * The batch handler mode of the kafkajs adapter against a real broker: a processor's outputs for
 * several topics go out in one send, dead letters ride along, and offsets are committed only after
 * the brokers acknowledged the outputs.
 */
const kafka = useKafkaBroker();

const testErrors = defineErrors('TEST_ERR', {
  DOWNSTREAM_BUSY: { message: () => 'downstream busy', retriable: true },
  BAD_READING: { message: (p: { n: number }) => `bad reading ${p.n}` },
  POISON: { message: (p: { n: number }) => `poison ${p.n}` },
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
    clientId: 'kafka-batch-test',
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
  messages: { key: string; value: string; headers?: Record<string, string>; timestamp?: string }[],
): Promise<void> {
  const producer = rawKafka(kafka()).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

const reading = (n: number, deviceId = `d${n % 3}`): string => JSON.stringify({ deviceId, n });

/** Splits each reading into an `even`/`odd` record and a `count` record. */
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

describe('KafkajsMessageBus batch handler (real Kafka)', () => {
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
    await eventually(() => calls > 0, 20_000, 'the handler was called');
    // Several commit intervals pass while the handler holds the batch: nothing is committed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await committedTotal(kafka(), subscription.groupId, input)).toBe(0);
    release();
    await readAll(kafka(), out, 10);
    await eventually(
      async () => (await committedTotal(kafka(), subscription.groupId, input)) === 10,
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
});
