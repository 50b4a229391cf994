import { afterEach, describe, expect, it } from '@jest/globals';
import { healthErrors } from '@realtime-platform/health-domain';
import { eventually, payloadOf, reading } from '@realtime-platform/testkit';
import type { BridgeMetrics } from '../../src/application/ports/bridge-metrics.port.js';
import type {
  DeadLetter,
  ForwardedReading,
  ReadingSink,
} from '../../src/application/ports/reading-sink.port.js';
import type {
  InboundMessage,
  InboundMessageHandler,
  MessageReceipt,
  ReadingSource,
} from '../../src/application/ports/reading-source.port.js';
import {
  ReadingForwarder,
  type ReadingForwarderOptions,
} from '../../src/application/reading-forwarder.use-case.js';

/** A source that hands over what the test publishes and records acknowledgements. */
class FakeSource implements ReadingSource {
  handler: InboundMessageHandler | undefined;
  readonly acknowledged: string[] = [];
  paused = false;
  closed = false;
  private next = 0;

  async start(handler: InboundMessageHandler): Promise<void> {
    this.handler = handler;
  }
  /** Delivers a payload; its receipt is "m<n>" so acknowledgements can be checked in order. */
  deliver(
    payload: Buffer,
    redelivered = false,
    { qos = 1, topic = 'health/device_data' }: { qos?: 0 | 1; topic?: string } = {},
  ): string {
    const id = `m${this.next++}`;
    if (this.paused) throw new Error('delivered while paused');
    this.handler?.({
      topic,
      qos,
      payload,
      redelivered,
      // QoS 0 has nothing to acknowledge.
      receipt: qos === 1 ? (id as unknown as MessageReceipt) : undefined,
    });
    return id;
  }
  acknowledge(messages: readonly InboundMessage[]): void {
    for (const m of messages) {
      if (m.receipt !== undefined) this.acknowledged.push(m.receipt as unknown as string);
    }
  }
  pause(): void {
    this.paused = true;
  }
  connected(): boolean {
    return !this.closed;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Deferred {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A sink whose writes complete when the test says so (or at once with `auto`). */
class FakeSink implements ReadingSink {
  readonly forwardCalls: ForwardedReading[][] = [];
  readonly deadLetterCalls: DeadLetter[][] = [];
  readonly pending: Deferred[] = [];
  auto = false;
  failNext = { forward: 0, deadLetter: 0 };

  forward(readings: readonly ForwardedReading[]): Promise<void> {
    this.forwardCalls.push([...readings]);
    return this.outcome('forward');
  }
  deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    this.deadLetterCalls.push([...letters]);
    return this.outcome('deadLetter');
  }
  private outcome(kind: 'forward' | 'deadLetter'): Promise<void> {
    if (this.failNext[kind] > 0) {
      this.failNext[kind] -= 1;
      return Promise.reject(new Error(`kafka down (${kind})`));
    }
    if (this.auto) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  completeAll(): void {
    for (const deferred of this.pending.splice(0)) deferred.resolve();
  }
}

class CountingMetrics implements BridgeMetrics {
  counts = {
    received: 0,
    redelivered: 0,
    forwarded: 0,
    writeFailed: 0,
    inFlight: 0,
    qos0Dropped: 0,
  };
  deadLetteredByCode: Record<string, number> = {};
  batches: number[] = [];
  received(count: number): void {
    this.counts.received += count;
  }
  redelivered(count: number): void {
    this.counts.redelivered += count;
  }
  forwarded(count: number): void {
    this.counts.forwarded += count;
  }
  deadLettered(code: string, count: number): void {
    this.deadLetteredByCode[code] = (this.deadLetteredByCode[code] ?? 0) + count;
  }
  inFlight(count: number): void {
    this.counts.inFlight = count;
  }
  writeFailed(): void {
    this.counts.writeFailed += 1;
  }
  batchWritten(size: number): void {
    this.batches.push(size);
  }
  qos0Dropped(count: number): void {
    this.counts.qos0Dropped += count;
  }
}

/** A logger that keeps what it was given. */
class RecordingLogger {
  readonly lines: { level: string; object: object; message: string }[] = [];
  info(object: object, message: string): void {
    this.lines.push({ level: 'info', object, message });
  }
  warn(object: object, message: string): void {
    this.lines.push({ level: 'warn', object, message });
  }
  error(object: object, message: string): void {
    this.lines.push({ level: 'error', object, message });
  }
}

const forwarders: ReadingForwarder[] = [];
afterEach(async () => {
  await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.stop(100)));
});

async function setup(options: Partial<ReadingForwarderOptions> = {}) {
  const source = new FakeSource();
  const sink = new FakeSink();
  const metrics = new CountingMetrics();
  const logger = new RecordingLogger();
  const forwarder = new ReadingForwarder({
    source,
    sink,
    metrics,
    logger,
    options: { lingerMs: 1, retry: { initialDelayMs: 1, maxDelayMs: 5 }, ...options },
  });
  forwarders.push(forwarder);
  await forwarder.start();
  return { source, sink, metrics, forwarder, logger };
}

const valid = (deviceId: string, timestamp = 1_767_225_600_000) =>
  payloadOf(reading({ deviceId, timestamp }));

describe('ReadingForwarder', () => {
  it('should acknowledge a reading only after Kafka acknowledged its record', async () => {
    const { source, sink, metrics } = await setup();
    source.deliver(valid('d1'));
    await eventually(() => sink.pending.length === 1);
    expect(sink.forwardCalls).toEqual([[{ key: 'd1', reading: reading({ deviceId: 'd1' }) }]]);
    expect(source.acknowledged).toEqual([]);
    expect(metrics.counts.inFlight).toBe(1);
    sink.completeAll();
    await eventually(() => source.acknowledged.length === 1);
    expect(source.acknowledged).toEqual(['m0']);
    expect(metrics.counts).toMatchObject({ received: 1, forwarded: 1, inFlight: 0 });
  });

  it('should write what arrives during a write as the next batch, one write at a time', async () => {
    const { source, sink, metrics } = await setup();
    source.deliver(valid('d0'));
    await eventually(() => sink.pending.length === 1);
    // 500 readings arrive while the first write is in flight: they wait, then go as one batch.
    for (let i = 1; i <= 500; i += 1) source.deliver(valid(`d${i}`));
    expect(sink.forwardCalls).toHaveLength(1);
    sink.completeAll();
    await eventually(() => sink.pending.length === 1);
    expect(sink.forwardCalls.map((call) => call.length)).toEqual([1, 500]);
    sink.completeAll();
    await eventually(() => source.acknowledged.length === 501);
    // Acknowledged in arrival order, across batches.
    expect(source.acknowledged).toEqual(Array.from({ length: 501 }, (_, i) => `m${i}`));
    expect(metrics.batches).toEqual([1, 500]);
  });

  it('should cap a batch at maxBatchRecords and keep the rest for the next write', async () => {
    const { source, sink } = await setup({ maxBatchRecords: 100 });
    sink.auto = true;
    for (let i = 0; i < 250; i += 1) source.deliver(valid(`d${i}`));
    await eventually(() => source.acknowledged.length === 250);
    expect(Math.max(...sink.forwardCalls.map((call) => call.length))).toBeLessThanOrEqual(100);
    expect(sink.forwardCalls.flat()).toHaveLength(250);
  });

  it('should cap a batch at maxBatchBytes', async () => {
    const { source, sink } = await setup({ maxBatchBytes: 1000 });
    sink.auto = true;
    for (let i = 0; i < 40; i += 1) source.deliver(valid(`d${i}`));
    await eventually(() => source.acknowledged.length === 40);
    // A reading counts ~250 bytes (payload + record overhead): a batch stops once it reaches 1000.
    expect(Math.max(...sink.forwardCalls.map((call) => call.length))).toBeLessThanOrEqual(5);
    expect(sink.forwardCalls.length).toBeGreaterThanOrEqual(8);
  });

  it('should dead-letter invalid payloads with their reason and acknowledge them after the DLQ write', async () => {
    const { source, sink, metrics } = await setup();
    source.deliver(Buffer.from('not json'));
    source.deliver(payloadOf(reading({ deviceId: 'd2', oxygenSaturation: 130 })));
    source.deliver(valid('d3'));
    await eventually(() => sink.pending.length === 2);
    expect(sink.deadLetterCalls).toHaveLength(1);
    expect(sink.deadLetterCalls[0]).toMatchObject([
      {
        key: undefined,
        reasonCode: healthErrors.PAYLOAD_MALFORMED_JSON.code,
        payload: Buffer.from('not json'),
        sourceTopic: 'health/device_data',
      },
      { key: 'd2', reasonCode: healthErrors.FIELD_OUT_OF_RANGE.code },
    ]);
    expect(sink.forwardCalls).toEqual([[{ key: 'd3', reading: reading({ deviceId: 'd3' }) }]]);
    sink.completeAll();
    await eventually(() => source.acknowledged.length === 3);
    expect(metrics.deadLetteredByCode).toEqual({
      [healthErrors.PAYLOAD_MALFORMED_JSON.code]: 1,
      [healthErrors.FIELD_OUT_OF_RANGE.code]: 1,
    });
    expect(metrics.counts.forwarded).toBe(1);
  });

  it('should retry a failed write and acknowledge only once it succeeded', async () => {
    const { source, sink, metrics, forwarder } = await setup();
    sink.auto = true;
    sink.failNext.forward = 3;
    source.deliver(valid('d1'));
    await eventually(() => metrics.counts.writeFailed === 3);
    expect(forwarder.health().ok).toBe(true);
    await eventually(() => source.acknowledged.length === 1);
    expect(sink.forwardCalls).toHaveLength(4);
  });

  it('should report unhealthy while writes fail, and the readings stay unacknowledged', async () => {
    const { source, sink, metrics, forwarder } = await setup({
      retry: { initialDelayMs: 50, maxDelayMs: 50 },
    });
    sink.auto = true;
    sink.failNext.forward = 1_000_000;
    source.deliver(valid('d1'));
    await eventually(() => metrics.counts.writeFailed >= 2);
    expect(forwarder.health()).toMatchObject({ ok: false });
    expect(forwarder.health().detail).toContain('kafka down');
    expect(source.acknowledged).toEqual([]);
    sink.failNext.forward = 0;
    await eventually(() => source.acknowledged.length === 1);
    expect(forwarder.health().ok).toBe(true);
  });

  it('should not write the readings again when only the dead-letter part failed', async () => {
    const { source, sink } = await setup();
    sink.auto = true;
    sink.failNext.deadLetter = 2;
    source.deliver(valid('d1'));
    source.deliver(Buffer.from('garbage'));
    await eventually(() => source.acknowledged.length === 2);
    expect(sink.forwardCalls).toHaveLength(1);
    expect(sink.deadLetterCalls).toHaveLength(3);
  });

  it('should count redeliveries', async () => {
    const { source, sink, metrics } = await setup();
    sink.auto = true;
    source.deliver(valid('d1'), true);
    await eventually(() => source.acknowledged.length === 1);
    expect(metrics.counts.redelivered).toBe(1);
  });

  it('stop should take no more messages, write and acknowledge what was taken, then close', async () => {
    const { source, sink, forwarder } = await setup({ lingerMs: 60_000 });
    for (let i = 0; i < 10; i += 1) source.deliver(valid(`d${i}`));
    // Lingering: nothing written yet.
    expect(sink.forwardCalls).toHaveLength(0);
    sink.auto = true;
    const report = await forwarder.stop(10_000);
    expect(source.paused).toBe(true);
    expect(sink.forwardCalls.flat()).toHaveLength(10);
    expect(source.acknowledged).toHaveLength(10);
    expect(source.closed).toBe(true);
    expect(report).toEqual({ unacknowledged: 0 });
  });

  it('stop should give up after its timeout and leave what Kafka never took unacknowledged', async () => {
    const { source, sink, forwarder } = await setup();
    sink.auto = true;
    sink.failNext.forward = 1_000_000;
    source.deliver(valid('d1'));
    source.deliver(valid('d2'));
    await eventually(() => sink.forwardCalls.length >= 1);
    const report = await forwarder.stop(200);
    expect(report).toEqual({ unacknowledged: 2 });
    expect(source.acknowledged).toEqual([]);
    expect(source.closed).toBe(true);
  });

  it('should dead-letter a reading whose deviceId is not the device whose topic it came on', async () => {
    const { source, sink, metrics } = await setup();
    sink.auto = true;
    source.deliver(valid('monitor-8'), false, { topic: 'health/device_data/monitor-7' });
    source.deliver(valid('monitor-7'), false, { topic: 'health/device_data/monitor-7' });
    // The gateways' topic names no device: any deviceId.
    source.deliver(valid('monitor-9'));
    await eventually(() => source.acknowledged.length === 3);
    expect(sink.forwardCalls.flat().map((r) => r.key)).toEqual(['monitor-7', 'monitor-9']);
    const [letter] = sink.deadLetterCalls.flat();
    expect(letter).toMatchObject({
      key: 'monitor-7',
      reasonCode: 'RTP_ERR_BRIDGE_DEVICE_ID_MISMATCH',
      sourceTopic: 'health/device_data/monitor-7',
    });
    expect(metrics.deadLetteredByCode).toEqual({ RTP_ERR_BRIDGE_DEVICE_ID_MISMATCH: 1 });
  });

  it('should hold at most maxQueuedQos0 QoS 0 readings while Kafka is down, dropping the oldest with a count and a coded line', async () => {
    const { source, sink, metrics, logger, forwarder } = await setup({ maxQueuedQos0: 100 });
    sink.failNext.forward = 1_000_000;
    sink.auto = true;
    // The first one goes into the failing write; 300 more wait behind it, plus 5 at QoS 1.
    source.deliver(valid('first'), false, { qos: 0 });
    await eventually(() => sink.forwardCalls.length >= 1);
    for (let i = 0; i < 300; i += 1) {
      source.deliver(valid('q0', 1_767_225_600_000 + i), false, { qos: 0 });
      if (i % 60 === 0) source.deliver(valid('q1', 1_767_225_600_000 + i));
    }
    expect(metrics.counts.qos0Dropped).toBe(200);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    // Rate-limited: one line for the burst, carrying the code.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.object).toMatchObject({ code: 'RTP_ERR_BRIDGE_QOS0_DROPPED' });
    // Held: the one in the failing write, the newest 100 at QoS 0, the 5 at QoS 1.
    expect(forwarder.pending).toBe(1 + 100 + 5);
    // Kafka is back: the QoS 1 readings and the newest 100 QoS 0 ones arrive, in order.
    sink.failNext.forward = 0;
    const q0 = () => sink.forwardCalls.flat().filter((r) => r.key === 'q0');
    await eventually(() => source.acknowledged.length === 5 && q0().length === 100);
    const written = q0().map((r) => r.reading.timestamp - 1_767_225_600_000);
    expect(written).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
    expect(source.acknowledged).toHaveLength(5);
  });
});
