import type {
  BaseOptions,
  Consumer,
  GroupAssignment,
  Message,
  MessagesStream,
} from '@platformatic/kafka';
import type { IHeaders } from 'kafkajs';
import type { RealtimePlatformError } from '@realtime-platform/errors';
import type { KafkaBusOptions } from './kafka.options.js';
import type { PlatformaticKafka } from './platformatic.loader.js';
import { processFetchMaxBytes } from './fetch-budget.js';
import {
  ConsumerSubscription,
  type ConsumerSubscriptionSettings,
} from './consumer-subscription.js';
import type { DeliveryHost, SourceRecord } from './record-delivery.js';
import type { ResolvedSubscription } from './subscription.options.js';

/** What a platformatic subscription needs from the bus that owns it. */
export interface PlatformaticSubscriptionHost extends DeliveryHost {
  readonly options: KafkaBusOptions;
  /** The loaded client module and the connection options every client of the bus shares. */
  readonly client: PlatformaticKafka;
  baseClientOptions(): BaseOptions;
  /** A refused login or operation as its coded error; else undefined. */
  accessError(
    error: unknown,
    operation: string,
    resource: string,
  ): RealtimePlatformError | undefined;
}

export interface PlatformaticSubscriptionSettings<T>
  extends ResolvedSubscription<T>, ConsumerSubscriptionSettings<T> {}

type RawMessage = Message<Buffer | undefined, Buffer | undefined, Buffer, Buffer>;
type RawConsumer = Consumer<Buffer | undefined, Buffer | undefined, Buffer, Buffer>;
type RawStream = MessagesStream<Buffer | undefined, Buffer | undefined, Buffer, Buffer>;

/**
 * How long each step of `stop()` (the last commit, leaving the group) may take: with the brokers
 * gone the client would retry for minutes, and a stopping service must not hang on it.
 */
const stopStepTimeoutMs = 5000;

/** Resolves when `promise` settles or after `ms`, whichever comes first (never rejects). */
const settledWithin = (promise: Promise<unknown>, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });

/** At most this many records are taken from the stream's buffer per round (all partitions). */
const maxRecordsPerRound = 10_000;

/**
 * Fetch sizes: @platformatic/kafka's defaults are 50 MiB per fetch and per partition, which a
 * backlog fills, decoded, in the stream's buffer (the bench measured 971 MiB RSS for the
 * stream-processor draining 200k readings, 1.4 GiB for realtime-service behind a 40k/s offer).
 * Per fetch: the process's budget (`fetchMaxBytesFor`, 1-10 MiB by heap); per partition, kafkajs's
 * 1 MiB.
 */
const defaultMaxBytesPerPartition = 1024 * 1024;

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

function headersOf(message: RawMessage): IHeaders | undefined {
  const entries = message.headerEntries;
  if (entries.length === 0) return undefined;
  const headers: IHeaders = {};
  for (const [key, value] of entries) {
    const name = key.toString();
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return headers;
}

/** A platformatic record in the form the delivery rules take (kafkajs's `KafkaMessage` shape). */
function sourceRecord(message: RawMessage): SourceRecord {
  const headers = headersOf(message);
  return {
    key: message.key ?? null,
    value: message.value ?? null,
    ...(headers === undefined ? {} : { headers }),
    offset: message.offset.toString(),
    timestamp: message.timestamp.toString(),
  };
}

/**
 * One @platformatic/kafka consumer with the SDK's delivery rules (the same as the kafkajs
 * adapter's, `RecordDelivery`):
 * - offsets are committed only for records whose handler resolved or that were dead-lettered
 *   (`autocommit: false`; commits every `commitIntervalMs` and always on `stop()`);
 * - the client heartbeats on its own timer, so a handler that retries for minutes keeps the group
 *   membership; the partition waits meanwhile;
 * - the stream prefetches. After a rebalance it rewinds kept partitions to their committed
 *   offsets while records fetched before may still be buffered: records below the next offset
 *   this member handles are skipped (already handled), and records of a partition fetched before
 *   this member (re)gained it are dropped (another member may have moved it on meanwhile);
 * - shared subscriptions join as static members (`staticMembership`, `group.instance.id` =
 *   `instanceId`): a restarted replica gets its partitions back at once;
 * - a stream or consumer that fails (broker gone) is recreated with backoff until it runs again.
 */
export class PlatformaticSubscription<T> extends ConsumerSubscription<T> {
  private consumer: RawConsumer | undefined;
  private stream: RawStream | undefined;
  /** The generation of the group this member holds now, and its partitions. */
  private generation = -1;
  private assigned = new Set<string>();
  /** Per partition: the generation in which this member last gained it. */
  private readonly gainedIn = new Map<string, number>();
  /** Per partition: the next offset to handle (everything below was handled here). */
  private readonly nextOffset = new Map<string, bigint>();
  /** Per partition: the offset to commit next (handled or dead-lettered, not committed yet). */
  private readonly pending = new Map<
    string,
    { topic: string; partition: number; offset: bigint; leaderEpoch: number }
  >();
  private committing: Promise<void> | undefined;
  private lastCommitAt = Date.now();
  private commitTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private restarting: Promise<void> | undefined;
  private heartbeatFailing = false;

  constructor(
    private readonly host: PlatformaticSubscriptionHost,
    private readonly settings: PlatformaticSubscriptionSettings<T>,
  ) {
    super(host, settings);
  }

  async start(): Promise<void> {
    this.state = 'running';
    this.commitTimer = setInterval(
      () => {
        if (this.state !== 'running' || !this.membership.held) return;
        if (Date.now() - this.lastCommitAt < this.host.options.commitIntervalMs) return;
        this.commitPending().catch((error: unknown) =>
          this.logger.debug({ err: error }, 'periodic commit failed; retried at the next one'),
        );
      },
      Math.max(50, Math.floor(this.host.options.commitIntervalMs / 2)),
    );
    this.commitTimer.unref();
    await this.runConsumer();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    clearTimeout(this.restartTimer);
    clearInterval(this.commitTimer);
    await this.restarting?.catch(() => undefined);
    // The record in hand finishes (handlers are not interrupted), then what was handled is committed.
    this.wake?.();
    await this.loop?.catch(() => undefined);
    await settledWithin(
      this.commitPending().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'commit on stop failed; the records will be redelivered'),
      ),
      stopStepTimeoutMs,
    );
    await settledWithin(this.closeConsumer(), stopStepTimeoutMs);
    this.membership.set(false);
    this.state = 'stopped';
  }

  /** Leaves the group (a static member too: it is removed, its partitions move at once) and closes. */
  private async closeConsumer(): Promise<void> {
    const consumer = this.consumer;
    const stream = this.stream;
    this.consumer = undefined;
    this.stream = undefined;
    if (stream !== undefined) await stream.close().catch(() => undefined);
    if (consumer !== undefined) {
      await consumer
        .close(true)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'consumer close failed'));
    }
  }

  /**
   * Commits every pending offset, one commit at a time (a newer offset waits for the commit in
   * flight, so an older one can never land after it). Offsets of partitions this member lost are
   * dropped at the join that took them.
   */
  private async commitPending(): Promise<void> {
    while (this.committing !== undefined) await this.committing.catch(() => undefined);
    const consumer = this.consumer;
    if (this.pending.size === 0 || consumer === undefined) return;
    const offsets = [...this.pending.entries()];
    this.pending.clear();
    this.committing = (async () => {
      try {
        await consumer.commit({ offsets: offsets.map(([, offset]) => offset) });
        this.lastCommitAt = Date.now();
      } catch (error) {
        for (const [key, offset] of offsets) {
          if (!this.pending.has(key) && this.assigned.has(key)) this.pending.set(key, offset);
        }
        throw error;
      }
    })();
    try {
      await this.committing;
    } finally {
      this.committing = undefined;
    }
  }

  private onJoin(consumer: RawConsumer, generation: number, assignments: GroupAssignment[]): void {
    if (this.consumer !== consumer) return;
    const assigned = new Set<string>();
    for (const { topic, partitions } of assignments) {
      for (const partition of partitions) assigned.add(partitionKey(topic, partition));
    }
    for (const key of assigned) {
      if (!this.assigned.has(key) || !this.gainedIn.has(key)) this.gainedIn.set(key, generation);
    }
    // Never commit for, or skip records of, partitions this member lost in the rebalance.
    for (const key of [...this.pending.keys()]) if (!assigned.has(key)) this.pending.delete(key);
    for (const key of [...this.nextOffset.keys()]) {
      if (!assigned.has(key)) {
        this.nextOffset.delete(key);
        this.gainedIn.delete(key);
      }
    }
    this.assigned = assigned;
    this.generation = generation;
    this.heartbeatFailing = false;
    this.delivery.forgetPartitionsNotIn((topic, partition) =>
      assigned.has(partitionKey(topic, partition)),
    );
    this.assignment += 1;
    this.restartAttempt = 0;
    this.membership.set(true);
    this.logger.info({ generation, partitions: assigned.size }, 'joined the consumer group');
  }

  private async runConsumer(): Promise<void> {
    const { client, options } = this.host;
    const shared = this.mode === 'shared';
    const consumer = new client.Consumer({
      ...this.host.baseClientOptions(),
      groupId: this.groupId,
      ...(shared && options.staticMembership ? { groupInstanceId: options.instanceId } : {}),
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: Math.max(options.sessionTimeoutMs, 60_000),
      maxWaitTime: options.maxWaitTimeMs,
      maxBytes: processFetchMaxBytes(),
      maxBytesPerPartition: this.settings.maxBytesPerPartition ?? defaultMaxBytesPerPartition,
      autocommit: false,
    }) as unknown as RawConsumer;
    this.consumer = consumer;
    consumer.on('consumer:group:join', (payload) =>
      this.onJoin(consumer, payload.generationId ?? 0, payload.assignments ?? []),
    );
    const lost = (): void => {
      if (this.consumer === consumer) this.membership.set(false);
    };
    consumer.on('consumer:group:leave', lost);
    consumer.on('consumer:group:rebalance', lost);
    // A failed heartbeat (coordinator gone) leaves the membership unconfirmed until one passes
    // again or the member rejoins: readiness says so at once, as the kafkajs adapter's does.
    consumer.on('consumer:heartbeat:error', () => {
      if (this.consumer !== consumer) return;
      this.heartbeatFailing = true;
      this.membership.set(false);
    });
    // The connection to the group coordinator dropped (its broker died): the same, without waiting
    // for the client's retries of the next heartbeat to run out.
    consumer.on(
      'client:broker:disconnect',
      (payload: { broker?: { host?: string; port?: number } }) => {
        if (this.consumer !== consumer) return;
        const coordinator = consumer.currentMetadata?.brokers.get(consumer.coordinatorId ?? -1);
        if (
          coordinator === undefined ||
          coordinator.host !== payload.broker?.host ||
          coordinator.port !== payload.broker?.port
        )
          return;
        this.heartbeatFailing = true;
        this.membership.set(false);
      },
    );
    consumer.on('consumer:heartbeat:end', () => {
      if (this.consumer !== consumer || !this.heartbeatFailing) return;
      this.heartbeatFailing = false;
      if (this.generation >= 0) this.membership.set(true);
    });
    // A rejoin that failed, or heartbeats that stopped: the consumer will not recover by itself.
    consumer.on('error', (error: unknown) => this.crashed(consumer, error));
    consumer.on('consumer:heartbeat:stalled', (payload: unknown) =>
      this.crashed(consumer, new Error(`heartbeats stalled: ${JSON.stringify(payload)}`)),
    );
    const broadcastOffsets = this.startOffsetsFor();
    const stream = (await consumer.consume({
      topics: [...this.topics],
      autocommit: false,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: Math.max(options.sessionTimeoutMs, 60_000),
      maxWaitTime: options.maxWaitTimeMs,
      ...(broadcastOffsets === undefined
        ? {
            mode: 'committed',
            fallbackMode: this.settings.fromBeginning ? 'earliest' : 'latest',
          }
        : { mode: 'manual', offsets: broadcastOffsets }),
    })) as RawStream;
    if (this.consumer !== consumer) {
      await stream.close().catch(() => undefined);
      return;
    }
    this.stream = stream;
    stream.on('error', (error: unknown) => this.crashed(consumer, error));
    // One listener for the stream's life: it keeps the stream in paused mode, where it fetches
    // ahead up to its high-water mark. With none (between two waits) the stream would count as
    // unconsumed and stop fetching.
    stream.on('readable', () => this.wake?.());
    stream.on('close', () => this.wake?.());
    this.loop = this.consume(consumer, stream).catch((error: unknown) =>
      this.crashed(consumer, error),
    );
  }

  /**
   * A broadcast group (new at every start) begins where `subscribe()` found the partitions'
   * ends; after a restart of the consumer, where this member got to. Shared groups: undefined
   * (the committed offsets).
   */
  private startOffsetsFor(): { topic: string; partition: number; offset: bigint }[] | undefined {
    if (this.mode !== 'broadcast') return undefined;
    const offsets: { topic: string; partition: number; offset: bigint }[] = [];
    for (const [key, offset] of this.unanchored) {
      const [topic = '', partition = '0'] = key.split('\u0000');
      const next = this.nextOffset.get(key);
      offsets.push({ topic, partition: Number(partition), offset: next ?? BigInt(offset) });
    }
    return offsets;
  }

  private crashed(consumer: RawConsumer, error: unknown): void {
    if (this.consumer !== consumer || this.state !== 'running') return;
    this.membership.set(false);
    this.consumer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    this.wake?.();
    // A refused login or ACL does not heal by recreating the consumer: say so once, loudly, and
    // stop (readiness stays false) instead of restarting forever.
    const refused = this.host.accessError(
      error,
      'consume',
      `topics ${this.topics.join(',')} in group ${this.groupId}`,
    );
    if (refused !== undefined) {
      this.membership.refuse(refused);
      this.logger.error({ err: refused, code: refused.code }, 'consumer refused by Kafka');
      this.restarting = (async () => {
        await this.loop?.catch(() => undefined);
        await stream?.close().catch(() => undefined);
        await consumer.close(true).catch(() => undefined);
      })();
      return;
    }
    this.logger.error({ err: error }, 'consumer crashed');
    const { initial, max } = this.host.options.restartDelayMs;
    const delay = Math.min(max, initial * 2 ** this.restartAttempt);
    this.restartAttempt += 1;
    this.logger.warn({ delayMs: delay, attempt: this.restartAttempt }, 'recreating the consumer');
    this.restarting = (async () => {
      await this.loop?.catch(() => undefined);
      await stream?.close().catch(() => undefined);
      await consumer.close(true).catch(() => undefined);
    })();
    this.restartTimer = setTimeout(() => {
      this.restarting = (async () => {
        if (this.state !== 'running') return;
        this.host.metrics?.kafkaConsumerRestarts.inc({ group: this.groupId });
        try {
          await this.runConsumer();
        } catch (cause) {
          if (this.consumer !== undefined) this.crashed(this.consumer, cause);
        }
      })();
    }, delay);
    this.restartTimer.unref();
  }

  /**
   * Waits until the stream has records (or the consumer stops or crashed). Called right after
   * `read()` answered null, with nothing awaited in between, so no 'readable' can be missed.
   */
  private readable(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  private running(consumer: RawConsumer): boolean {
    return this.state === 'running' && this.consumer === consumer;
  }

  /** The consumption loop: takes what the stream buffered, by partition, through the delivery rules. */
  private async consume(consumer: RawConsumer, stream: RawStream): Promise<void> {
    while (this.running(consumer)) {
      const byPartition = new Map<string, RawMessage[]>();
      let taken = 0;
      for (let message: RawMessage | null; taken < maxRecordsPerRound; taken += 1) {
        message = stream.read() as RawMessage | null;
        if (message === null) break;
        const key = partitionKey(message.topic, message.partition);
        const list = byPartition.get(key);
        if (list === undefined) byPartition.set(key, [message]);
        else list.push(message);
      }
      if (taken === 0) {
        if (stream.destroyed || stream.closed) return;
        await this.readable();
        continue;
      }
      // Partitions side by side (`partitionsConsumedConcurrently`), each in offset order: a round
      // ends when all of its partitions did, before the next takes more from the stream.
      const partitions = [...byPartition];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < partitions.length && this.running(consumer)) {
          const [key, messages] = partitions[next++] as [string, RawMessage[]];
          await this.handlePartition(consumer, key, messages);
        }
      };
      const workers = Math.min(this.settings.partitionsConsumedConcurrently, partitions.length);
      await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
      if (!this.running(consumer)) return;
      if (Date.now() - this.lastCommitAt >= this.host.options.commitIntervalMs) {
        await this.commitPending().catch((error: unknown) =>
          this.logger.debug({ err: error }, 'commit failed; retried at the next one'),
        );
      }
    }
  }

  /** The records of one partition that are this member's to handle now, in offset order. */
  private fresh(key: string, messages: readonly RawMessage[]): RawMessage[] {
    if (!this.assigned.has(key)) return [];
    const gained = this.gainedIn.get(key) ?? this.generation;
    let next = this.nextOffset.get(key);
    const out: RawMessage[] = [];
    for (const message of messages) {
      const generation = (message.metadata as { consumer?: { generationId?: number } } | undefined)
        ?.consumer?.generationId;
      // Fetched before this member (re)gained the partition: someone else may have moved it on.
      if (generation !== undefined && generation < gained) continue;
      // Already handled here (the stream rewound to the committed offset after a rebalance).
      if (next !== undefined && message.offset < next) continue;
      out.push(message);
      next = message.offset + 1n;
    }
    return out;
  }

  private async handlePartition(
    consumer: RawConsumer,
    key: string,
    messages: readonly RawMessage[],
  ): Promise<void> {
    const records = this.fresh(key, messages);
    if (records.length === 0) return;
    const first = records[0] as RawMessage;
    const { topic, partition } = first;
    const gained = this.gainedIn.get(key);
    // The partition is still this member's and was not lost in between (another may have it then).
    const proceed = (): boolean =>
      this.running(consumer) && this.assigned.has(key) && this.gainedIn.get(key) === gained;
    const keepAlive = (): Promise<void> =>
      this.commitPending().catch((error: unknown) =>
        this.logger.debug({ err: error }, 'commit while retrying failed'),
      );
    const handledUpTo = (last: RawMessage, count: number): void => {
      this.nextOffset.set(key, last.offset + 1n);
      this.pending.set(key, {
        topic,
        partition,
        offset: last.offset + 1n,
        leaderEpoch: last.leaderEpoch,
      });
      this.host.metrics?.kafkaRecordsConsumed.inc({ topic }, count);
    };
    if (this.settings.batchHandler !== undefined) {
      const size = this.settings.maxBatchRecords;
      for (let start = 0; start < records.length; start += size) {
        if (!proceed()) return;
        const chunk = records.slice(start, start + size);
        const outcome = await this.delivery.processBatch(
          topic,
          partition,
          chunk.map(sourceRecord),
          keepAlive,
          proceed,
        );
        if (outcome === 'aborted') return;
        handledUpTo(chunk[chunk.length - 1] as RawMessage, chunk.length);
      }
      return;
    }
    for (const message of records) {
      if (!proceed()) return;
      const outcome = await this.delivery.process(
        topic,
        partition,
        sourceRecord(message),
        keepAlive,
        proceed,
      );
      if (outcome === 'aborted') return;
      handledUpTo(message, 1);
    }
  }
}
