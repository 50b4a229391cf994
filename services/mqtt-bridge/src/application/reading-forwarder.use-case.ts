import {
  defaultReadingRoutePolicy,
  routeReading,
  type ReadingRoute,
  type ReadingRoutePolicy,
} from '../domain/reading-route.policy.js';
import { noopBridgeMetrics, type BridgeMetrics } from './ports/bridge-metrics.port.js';
import type { DeadLetter, ForwardedReading, ReadingSink } from './ports/reading-sink.port.js';
import type { InboundMessage, ReadingSource } from './ports/reading-source.port.js';
import { bridgeErrors } from '../bridge.errors.js';

/** The log calls the forwarder makes (a pino logger fits). */
export interface ForwarderLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface ReadingForwarderOptions {
  /** Most messages per Kafka write. */
  readonly maxBatchRecords: number;
  /**
   * Most bytes per Kafka write (estimated: payload plus record overhead). A write's records for
   * one partition form one record batch, which Kafka refuses above `message.max.bytes` (1 MiB by
   * default); below this cap a write fits even when all its readings land on one partition.
   */
  readonly maxBatchBytes: number;
  /** How long the first message of an idle period waits for company before the write. */
  readonly lingerMs: number;
  /** Backoff between attempts of a failed write (exponential, forever: nothing is dropped). */
  readonly retry: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly policy: ReadingRoutePolicy;
  /**
   * Most QoS 0 readings held while writes are pending. QoS 1 readings are bounded by the
   * broker, which stops sending at the receive maximum; QoS 0 ones are not (the broker neither
   * holds them back nor redelivers them), so while Kafka is down they would pile up here without
   * end. Beyond this, the oldest QoS 0 reading is dropped and counted: QoS 0 is at-most-once.
   */
  readonly maxQueuedQos0: number;
}

export const defaultReadingForwarderOptions: ReadingForwarderOptions = {
  maxBatchRecords: 5000,
  maxBatchBytes: 768 * 1024,
  lingerMs: 5,
  retry: { initialDelayMs: 200, maxDelayMs: 5000 },
  policy: defaultReadingRoutePolicy,
  maxQueuedQos0: 10_000,
};

export interface ReadingForwarderDeps {
  readonly source: ReadingSource;
  readonly sink: ReadingSink;
  readonly metrics?: BridgeMetrics;
  readonly logger?: ForwarderLogger;
  readonly options?: Partial<ReadingForwarderOptions>;
}

interface Entry {
  readonly message: InboundMessage;
  readonly route: ReadingRoute;
  /** Estimated size in the Kafka write. */
  readonly bytes: number;
  /** A QoS 0 reading dropped while queued (over `maxQueuedQos0`): skipped when batches are taken. */
  dropped: boolean;
}

/** How often the coded "QoS 0 dropped" line is logged at most (every drop is counted). */
const qos0DropLogIntervalMs = 10_000;

/** Record overhead beyond the value (key, varints, timestamp), generously. */
const recordOverheadBytes = 64;
/** Dead letters carry about ten headers besides. */
const deadLetterOverheadBytes = 512;

/** What `stop()` left behind: messages neither written nor acknowledged (the broker keeps them). */
export interface ForwarderStopReport {
  readonly unacknowledged: number;
}

export interface ForwarderHealth {
  readonly ok: boolean;
  readonly detail: string;
}

const silent: ForwarderLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * MQTT → Kafka with at-least-once delivery end to end. Messages are routed as they arrive (valid
 * readings to the output topic keyed by deviceId, invalid payloads to the DLQ with their reason),
 * queued, and written in batches: one write at a time, each as large as what arrived meanwhile
 * (up to `maxBatchRecords` / `maxBatchBytes`), so the batch size follows the load without a
 * per-message await. A batch's messages are acknowledged to MQTT — in arrival order — only after
 * Kafka acknowledged all of its records. A failed write is retried with backoff, forever, while
 * the broker's in-flight window (receive maximum) stops the flow; a crash before the
 * acknowledgement means the broker redelivers (duplicates are possible, losses are not).
 */
export class ReadingForwarder {
  private readonly source: ReadingSource;
  private readonly sink: ReadingSink;
  private readonly metrics: BridgeMetrics;
  private readonly logger: ForwarderLogger;
  readonly options: ReadingForwarderOptions;

  /** Routed, not yet written: `queue[head..]` (a head index, so taking a batch copies only it). */
  private queue: Entry[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** The queued QoS 0 entries, oldest first: `qos0[qos0Head..]`. */
  private qos0: Entry[] = [];
  private qos0Head = 0;
  private qos0DroppedSinceLog = 0;
  private qos0LoggedAt = 0;
  /** Received since the last write started (metrics are updated once per write, not per message). */
  private receivedSinceWrite = 0;
  private redeliveredSinceWrite = 0;
  private inFlight = 0;
  private writing: Promise<void> | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<ForwarderStopReport> | undefined;
  /** Set when `stop()` gave up waiting: pending writes end without acknowledging. */
  private abandoned = false;
  private wakeSleepers = new Set<() => void>();
  private failingSince: number | undefined;
  private lastFailure: string | undefined;

  constructor(deps: ReadingForwarderDeps) {
    this.source = deps.source;
    this.sink = deps.sink;
    this.metrics = deps.metrics ?? noopBridgeMetrics;
    this.logger = deps.logger ?? silent;
    this.options = { ...defaultReadingForwarderOptions, ...deps.options };
  }

  /** Connects the source; from then on every message is forwarded. */
  start(): Promise<void> {
    return this.source.start((message) => this.accept(message));
  }

  /** Received and not yet acknowledged. */
  get pending(): number {
    return this.inFlight;
  }

  /** Unhealthy while a Kafka write keeps failing (the messages wait, unacknowledged). */
  health(): ForwarderHealth {
    if (this.failingSince === undefined) return { ok: true, detail: `${this.inFlight} in flight` };
    return {
      ok: false,
      detail: `writes failing since ${new Date(this.failingSince).toISOString()}: ${this.lastFailure}`,
    };
  }

  /** One message from the source: routed now, written with the next batch. */
  accept(message: InboundMessage): void {
    this.receivedSinceWrite += 1;
    if (message.redelivered) this.redeliveredSinceWrite += 1;
    this.inFlight += 1;
    const route = routeReading(message.payload, this.options.policy, message.topic);
    const bytes =
      route.kind === 'forward'
        ? message.payload.length + recordOverheadBytes
        : route.payload.length + deadLetterOverheadBytes;
    const entry: Entry = { message, route, bytes, dropped: false };
    this.queue.push(entry);
    this.queuedBytes += bytes;
    if (message.qos === 0) {
      this.qos0.push(entry);
      if (this.qos0.length - this.qos0Head > this.options.maxQueuedQos0) this.dropOldestQos0();
    }
    if (this.stopping !== undefined || this.writing !== undefined) return;
    if (
      this.queue.length - this.head >= this.options.maxBatchRecords ||
      this.queuedBytes >= this.options.maxBatchBytes
    ) {
      this.writeNext();
    } else {
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = undefined;
        this.writeNext();
      }, this.options.lingerMs);
    }
  }

  /**
   * Graceful stop: take no more messages, write what was taken (retrying for up to `timeoutMs`),
   * acknowledge it, disconnect (the session stays). What could not be written in time stays
   * unacknowledged and is redelivered to the next session.
   */
  stop(timeoutMs: number): Promise<ForwarderStopReport> {
    this.stopping ??= (async () => {
      this.source.pause();
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
      const givenUp = new Promise<void>((resolve) => this.wakeSleepers.add(resolve));
      const deadline = setTimeout(() => this.abandon(), timeoutMs);
      try {
        while (!this.abandoned && (this.writing !== undefined || this.queued() > 0)) {
          if (this.writing === undefined) this.writeNext();
          await Promise.race([this.writing, givenUp]);
        }
      } finally {
        clearTimeout(deadline);
      }
      const unacknowledged = this.inFlight;
      if (unacknowledged > 0) {
        this.logger.warn(
          { unacknowledged },
          'stopped with unacknowledged readings; the broker redelivers them',
        );
      }
      await this.source.close();
      return { unacknowledged };
    })();
    return this.stopping;
  }

  private abandon(): void {
    this.abandoned = true;
    for (const wake of this.wakeSleepers) wake();
  }

  /** A delay that `abandon()` cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }

  /** Takes the next batch off the queue and writes it; chains the following one. */
  private queued(): number {
    return this.queue.length - this.head;
  }

  private flushCounters(): void {
    if (this.receivedSinceWrite > 0) this.metrics.received(this.receivedSinceWrite);
    if (this.redeliveredSinceWrite > 0) this.metrics.redelivered(this.redeliveredSinceWrite);
    this.receivedSinceWrite = 0;
    this.redeliveredSinceWrite = 0;
    this.metrics.inFlight(this.inFlight);
  }

  private writeNext(): void {
    if (this.writing !== undefined || this.abandoned) return;
    this.flushCounters();
    if (this.queued() === 0) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const batch = this.takeBatch();
    // Everything left was dropped QoS 0 readings: nothing to write.
    if (batch.length === 0) return;
    this.writing = this.write(batch).finally(() => {
      this.writing = undefined;
      // What arrived during the write has waited long enough: write it now, without lingering.
      this.writeNext();
    });
  }

  private takeBatch(): Entry[] {
    const { maxBatchRecords, maxBatchBytes } = this.options;
    const batch: Entry[] = [];
    let end = this.head;
    let bytes = 0;
    while (end < this.queue.length && batch.length < maxBatchRecords && bytes < maxBatchBytes) {
      const entry = this.queue[end] as Entry;
      end += 1;
      // A dropped entry already left the counts; a taken QoS 0 one is the oldest still queued.
      if (entry.dropped) continue;
      if (entry.message.qos === 0) this.qos0Head += 1;
      bytes += entry.bytes;
      batch.push(entry);
    }
    this.head = end;
    this.queuedBytes -= bytes;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      // Drop the taken prefix now and then, so the array does not grow forever under load.
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.compactQos0();
    return batch;
  }

  /** Drops the oldest queued QoS 0 reading: never acknowledged (QoS 0 has no acknowledgement). */
  private dropOldestQos0(): void {
    const oldest = this.qos0[this.qos0Head] as Entry;
    this.qos0Head += 1;
    oldest.dropped = true;
    this.queuedBytes -= oldest.bytes;
    this.inFlight -= 1;
    this.metrics.qos0Dropped(1);
    this.qos0DroppedSinceLog += 1;
    const now = Date.now();
    if (now - this.qos0LoggedAt >= qos0DropLogIntervalMs) {
      const error = bridgeErrors.QOS0_DROPPED({
        dropped: this.qos0DroppedSinceLog,
        limit: this.options.maxQueuedQos0,
      });
      this.logger.warn({ err: error, code: error.code }, error.message);
      this.qos0DroppedSinceLog = 0;
      this.qos0LoggedAt = now;
    }
    this.compactQos0();
  }

  private compactQos0(): void {
    if (this.qos0Head === this.qos0.length) {
      this.qos0 = [];
      this.qos0Head = 0;
    } else if (this.qos0Head > 4096 && this.qos0Head * 2 > this.qos0.length) {
      this.qos0 = this.qos0.slice(this.qos0Head);
      this.qos0Head = 0;
    }
  }

  private async write(batch: readonly Entry[]): Promise<void> {
    const forward: ForwardedReading[] = [];
    const deadLetters: DeadLetter[] = [];
    for (const { message, route } of batch) {
      if (route.kind === 'forward') {
        forward.push({ key: route.key, reading: route.reading });
      } else {
        deadLetters.push({
          key: route.key,
          payload: route.payload,
          payloadBytes: route.payloadBytes,
          reasonCode: route.reasonCode,
          reason: route.reason,
          sourceTopic: message.topic,
        });
      }
    }
    // The two parts are retried separately, so a DLQ failure never writes the readings twice.
    let forwardDone = forward.length === 0;
    let deadLettersDone = deadLetters.length === 0;
    for (let attempt = 1; !(forwardDone && deadLettersDone); attempt += 1) {
      const [forwardResult, deadLetterResult] = await Promise.allSettled([
        forwardDone ? undefined : this.sink.forward(forward),
        deadLettersDone ? undefined : this.sink.deadLetter(deadLetters),
      ]);
      forwardDone ||= forwardResult.status === 'fulfilled';
      deadLettersDone ||= deadLetterResult.status === 'fulfilled';
      if (forwardDone && deadLettersDone) break;
      const failure = [forwardResult, deadLetterResult].find((r) => r.status === 'rejected');
      const reason = (failure as PromiseRejectedResult).reason as unknown;
      this.metrics.writeFailed();
      this.failingSince ??= Date.now();
      this.lastFailure = reason instanceof Error ? reason.message : String(reason);
      const delayMs = Math.min(
        this.options.retry.maxDelayMs,
        this.options.retry.initialDelayMs * 2 ** Math.min(attempt - 1, 20),
      );
      this.logger.error(
        { err: reason, attempt, retryInMs: delayMs, messages: batch.length },
        'Kafka write failed; the readings stay unacknowledged and are retried',
      );
      if (this.abandoned) return;
      this.flushCounters();
      await this.sleep(delayMs);
      if (this.abandoned) return;
    }
    if (this.failingSince !== undefined) {
      this.logger.info(
        { failedForMs: Date.now() - this.failingSince },
        'Kafka writes succeed again',
      );
      this.failingSince = undefined;
      this.lastFailure = undefined;
    }
    if (this.abandoned) return;
    this.source.acknowledge(batch.map((entry) => entry.message));
    this.inFlight -= batch.length;
    this.metrics.inFlight(this.inFlight);
    this.metrics.batchWritten(batch.length);
    if (forward.length > 0) {
      this.metrics.forwarded(forward.length);
      if (this.metrics.forwardDelays !== undefined) {
        const now = Date.now();
        this.metrics.forwardDelays(forward.map(({ reading }) => (now - reading.timestamp) / 1000));
      }
    }
    if (deadLetters.length > 0) {
      const byCode = new Map<string, number>();
      for (const letter of deadLetters)
        byCode.set(letter.reasonCode, (byCode.get(letter.reasonCode) ?? 0) + 1);
      for (const [code, count] of byCode) this.metrics.deadLettered(code, count);
    }
  }
}
