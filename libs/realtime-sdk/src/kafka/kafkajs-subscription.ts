import { isRetriable, type RealtimePlatformError } from '@realtime-platform/errors';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { sdkErrors } from '../sdk.errors.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import type { Codec } from './codecs/codec.port.js';
import { kafkaAccessError } from './kafka-access.errors.js';
import { deadLetterHeadersFor, errorCodeOf, type DeadLetterReason } from './dead-letter.headers.js';
import type { KafkaBusOptions } from './kafka.options.js';
import type {
  BatchHandler,
  BatchResult,
  ConsumedRecord,
  ConsumerMode,
  RecordHandler,
  RetryPolicy,
  Subscription,
} from './message-bus.port.js';
import { encodeOutgoingRecords, type KafkaOutgoingMessage } from './outgoing-records.encoder.js';
import { retryDelayMs } from './retry.policy.js';

/** What a subscription needs from the bus that owns it. */
export interface SubscriptionHost {
  readonly kafka: Kafka;
  readonly options: KafkaBusOptions;
  readonly logger: Logger;
  readonly metrics: SdkMetrics | undefined;
  /** Writes raw records (DLQ) with acks=all through the bus's idempotent producer. */
  produceRaw(
    topic: string,
    messages: { key: Buffer | string | null; value: Buffer | null; headers: IHeaders }[],
  ): Promise<void>;
  /** Writes encoded records for several topics in one send (acks=all). */
  produceBatch(
    topicMessages: readonly { topic: string; messages: KafkaOutgoingMessage[] }[],
  ): Promise<void>;
}

export interface SubscriptionSettings<T> {
  readonly groupId: string;
  readonly mode: ConsumerMode;
  readonly topics: readonly string[];
  readonly codec: Codec<T>;
  /** Exactly one of `handler` and `batchHandler` is set. */
  readonly handler?: RecordHandler<T> | undefined;
  readonly batchHandler?: BatchHandler<T> | undefined;
  readonly maxBatchRecords: number;
  readonly maxBytesPerPartition?: number | undefined;
  readonly fromBeginning: boolean;
  readonly retry: RetryPolicy;
  readonly partitionsConsumedConcurrently: number;
  /**
   * `topic\u0000partition → offset` to start from when the group has no offset yet (a new
   * broadcast group); applied with seek at the first join and committed at once.
   */
  readonly startOffsets: ReadonlyMap<string, string>;
}

type State = 'idle' | 'running' | 'stopping' | 'stopped';
type Outcome = 'done' | 'aborted';

/** A dead letter ready to send, and what to count and log once it was written. */
interface DeadLetter {
  readonly message: KafkaOutgoingMessage;
  readonly reason: DeadLetterReason;
  readonly offset: string;
  readonly partition: number;
  readonly code: string;
}

const emptyValue = Buffer.alloc(0);

/** A partition held by retriable failures is reported at most this often (and when it moves again). */
const retryLogIntervalMs = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function groupByTopic(offsets: readonly { topic: string; partition: number; offset: string }[]) {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    topics.set(topic, [...(topics.get(topic) ?? []), { partition, offset }]);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}

/** Shared by every record without headers (most): one object less per record. */
const noHeaders: Readonly<Record<string, string>> = Object.freeze({});

function headerStrings(headers: IHeaders | undefined): Readonly<Record<string, string>> {
  if (headers === undefined) return noHeaders;
  let out: Record<string, string> | undefined;
  for (const key in headers) {
    const value = headers[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) (out ??= {})[key] = first.toString();
  }
  return out ?? noHeaders;
}

/**
 * One kafkajs consumer with the SDK's delivery rules:
 * - offsets are committed only for records whose handler resolved or that were dead-lettered
 *   (`autoCommit: false`, `eachBatchAutoResolve: false`, explicit commits every
 *   `commitIntervalMs` - from a timer or the batch in hand - and always on `stop()`, which
 *   kafkajs's own `stop()`/`disconnect()` never do). Not awaiting a commit after every batch keeps
 *   a round trip to the coordinator out of the fetch loop;
 * - retriable errors (decode or handler: registry, database, Kafka away, timeouts) are retried
 *   with backoff for as long as they last, heartbeating (after committing what was done) while
 *   waiting, so a slow retry never costs the group membership (eager rebalances); the partition
 *   waits and `rtp_kafka_consumer_retrying` shows it. Infrastructure trouble never dead-letters;
 * - records no retry can fix (undecodable, non-retriable handler errors) go to `<topic>.dlq`;
 * - crashes kafkajs does not restart itself (non-retriable errors) recreate the consumer with
 *   backoff, so consumption survives a broker that goes away and comes back.
 */
export class KafkajsSubscription<T> implements Subscription {
  readonly groupId: string;
  readonly mode: ConsumerMode;
  readonly topics: readonly string[];
  private state: State = 'idle';
  private consumer: Consumer | undefined;
  private isJoined = false;
  private joinWaiters = new Set<() => void>();
  /** Set when the broker refused our login or an ACL refused the group or a topic: final. */
  private failure: RealtimePlatformError | undefined;
  private failWaiters = new Set<(error: RealtimePlatformError) => void>();
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private restarting: Promise<void> | undefined;
  private readonly logger: Logger;
  /** Next offset to commit per partition: handled (or dead-lettered) but not committed yet. */
  private readonly pending = new Map<
    string,
    { topic: string; partition: number; offset: string }
  >();
  private lastCommitAt = Date.now();
  private commitTimer: NodeJS.Timeout | undefined;
  /** Start offsets not yet committed for the group (see `SubscriptionSettings.startOffsets`). */
  private readonly unanchored: Map<string, string>;
  /** `HandlerContext.assignment`: grows at every join of the group. */
  private assignment = 0;
  /** Partitions held by retriable failures: since when, and when that was last logged. */
  private readonly held = new Map<string, { since: number; loggedAt: number }>();

  constructor(
    private readonly host: SubscriptionHost,
    private readonly settings: SubscriptionSettings<T>,
  ) {
    this.groupId = settings.groupId;
    this.mode = settings.mode;
    this.topics = settings.topics;
    this.unanchored = new Map(settings.startOffsets);
    this.logger = host.logger.child({
      component: 'kafka-consumer',
      groupId: settings.groupId,
      mode: settings.mode,
    });
  }

  joined(): boolean {
    return this.isJoined && this.state === 'running';
  }

  waitUntilJoined(timeoutMs = 30_000): Promise<void> {
    if (this.joined()) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.joinWaiters.delete(done);
        this.failWaiters.delete(fail);
        reject(new Error(`group ${this.groupId} did not join within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.failWaiters.delete(fail);
        resolve();
      };
      const fail = (error: RealtimePlatformError): void => {
        clearTimeout(timer);
        this.joinWaiters.delete(done);
        reject(error);
      };
      this.joinWaiters.add(done);
      this.failWaiters.add(fail);
    });
  }

  /** The coded error that stopped this subscription for good (a refused login or ACL), if any. */
  failed(): RealtimePlatformError | undefined {
    return this.failure;
  }

  async start(): Promise<void> {
    this.state = 'running';
    await this.runConsumer();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    clearTimeout(this.restartTimer);
    await this.restarting?.catch(() => undefined);
    clearInterval(this.commitTimer);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer !== undefined) {
      // Commit what finished batches handled; a batch still running commits in its `finally`.
      await this.commitPending((offsets) => consumer.commitOffsets(offsets)).catch(
        (error: unknown) =>
          this.logger.warn(
            { err: error },
            'commit on stop failed; the records will be redelivered',
          ),
      );
      // stop() lets the batch in hand finish (it commits at its end) and leaves the group.
      await consumer
        .stop()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'consumer stop failed'));
      await consumer
        .disconnect()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'consumer disconnect failed'));
    }
    this.setJoined(false);
    this.state = 'stopped';
  }

  private setJoined(joined: boolean): void {
    this.isJoined = joined;
    if (joined) {
      for (const waiter of this.joinWaiters) waiter();
      this.joinWaiters.clear();
    }
  }

  /**
   * Commits every pending offset. Offsets only grow and requests on the coordinator connection are
   * handled in order, so concurrent commits (timer, batch end, stop) never move an offset back.
   */
  private async commitPending(
    commit: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<unknown>,
  ): Promise<void> {
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.entries()];
    this.pending.clear();
    try {
      await commit(offsets.map(([, offset]) => offset));
      this.lastCommitAt = Date.now();
    } catch (error) {
      // Put back what no newer offset replaced, for the next attempt.
      for (const [key, offset] of offsets)
        if (!this.pending.has(key)) this.pending.set(key, offset);
      throw error;
    }
  }

  /**
   * Seeks assigned partitions that have a start offset and commits it, so even a consumer
   * recreated before any record arrived resumes from there, not from a later "latest".
   */
  private anchor(consumer: Consumer, assigned: Record<string, number[]>): void {
    if (this.unanchored.size === 0) return;
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const [topic, partitions] of Object.entries(assigned)) {
      for (const partition of partitions) {
        const offset = this.unanchored.get(`${topic}\u0000${partition}`);
        if (offset === undefined) continue;
        consumer.seek({ topic, partition, offset });
        offsets.push({ topic, partition, offset });
      }
    }
    if (offsets.length === 0) return;
    consumer.commitOffsets(offsets).then(
      () =>
        offsets.forEach(({ topic, partition }) =>
          this.unanchored.delete(`${topic}\u0000${partition}`),
        ),
      (error: unknown) =>
        this.logger.warn(
          { err: error },
          'committing the start offsets failed; retried at the next join',
        ),
    );
  }

  private startCommitTimer(consumer: Consumer): void {
    clearInterval(this.commitTimer);
    this.commitTimer = setInterval(
      () => {
        if (this.consumer !== consumer || this.state !== 'running' || !this.isJoined) return;
        if (Date.now() - this.lastCommitAt < this.host.options.commitIntervalMs) return;
        this.commitPending((offsets) => consumer.commitOffsets(offsets)).catch((error: unknown) =>
          this.logger.debug({ err: error }, 'periodic commit failed; retried at the next one'),
        );
      },
      Math.max(50, Math.floor(this.host.options.commitIntervalMs / 2)),
    );
    this.commitTimer.unref();
  }

  private async runConsumer(): Promise<void> {
    const { kafka, options } = this.host;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      ...(this.settings.maxBytesPerPartition === undefined
        ? {}
        : { maxBytesPerPartition: this.settings.maxBytesPerPartition }),
      allowAutoTopicCreation: false,
      retry: {
        retries: options.clientRetry.retries,
        initialRetryTime: options.clientRetry.initialRetryTimeMs,
        maxRetryTime: options.clientRetry.maxRetryTimeMs,
        // kafkajs restarts itself after retriable crashes while we are running; the others are ours.
        restartOnFailure: async () => this.state === 'running',
      },
    });
    this.consumer = consumer;
    const current = (): boolean => this.consumer === consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      if (!current()) return;
      // Never commit for partitions this member lost in the rebalance.
      const assigned = event.payload.memberAssignment;
      for (const [key, { topic, partition }] of this.pending) {
        if (!(assigned[topic] ?? []).includes(partition)) this.pending.delete(key);
      }
      // A partition this member lost is no longer held here.
      for (const key of this.held.keys()) {
        const [topic = '', partition = ''] = key.split('\u0000');
        if (!(assigned[topic] ?? []).includes(Number(partition))) this.held.delete(key);
      }
      this.host.metrics?.kafkaConsumerRetrying.set({ group: this.groupId }, this.held.size);
      this.anchor(consumer, assigned);
      this.assignment += 1;
      this.restartAttempt = 0;
      this.setJoined(true);
      this.logger.info('joined the consumer group');
    });
    consumer.on(consumer.events.REBALANCING, () => current() && this.setJoined(false));
    consumer.on(consumer.events.STOP, () => current() && this.setJoined(false));
    consumer.on(consumer.events.DISCONNECT, () => current() && this.setJoined(false));
    consumer.on(consumer.events.CRASH, (event) => {
      if (!current()) return;
      this.setJoined(false);
      const { error, restart } = event.payload;
      // A refused login or ACL does not heal by recreating the consumer: say so once, loudly, and
      // stop (readiness stays false) instead of restarting forever.
      const refused = kafkaAccessError(error, {
        brokers: this.host.options.brokers,
        username: this.host.options.security?.username ?? 'ANONYMOUS',
        operation: 'consume',
        resource: `topics ${this.topics.join(',')} in group ${this.groupId}`,
      });
      if (refused !== undefined) {
        this.failure = refused;
        this.logger.error({ err: refused, code: refused.code }, 'consumer refused by Kafka');
        for (const fail of this.failWaiters) fail(refused);
        this.failWaiters.clear();
        this.joinWaiters.clear();
        return;
      }
      this.logger.error({ err: error, restart }, 'consumer crashed');
      if (!restart && this.state === 'running') this.scheduleRestart(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.topics],
      fromBeginning: this.settings.fromBeginning,
    });
    this.startCommitTimer(consumer);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Recreates the consumer with exponential backoff until it runs again or we stop. */
  private scheduleRestart(crashed: Consumer): void {
    const { initial, max } = this.host.options.restartDelayMs;
    const delay = Math.min(max, initial * 2 ** this.restartAttempt);
    this.restartAttempt += 1;
    this.logger.warn({ delayMs: delay, attempt: this.restartAttempt }, 'recreating the consumer');
    this.restartTimer = setTimeout(() => {
      this.restarting = (async () => {
        if (this.state !== 'running') return;
        await crashed.disconnect().catch(() => undefined);
        this.host.metrics?.kafkaConsumerRestarts.inc({ group: this.groupId });
        try {
          await this.runConsumer();
        } catch (error) {
          this.logger.error({ err: error }, 'recreating the consumer failed');
          if (this.state === 'running' && this.consumer !== undefined)
            this.scheduleRestart(this.consumer);
        }
      })();
    }, delay);
    this.restartTimer.unref();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } =
      payload;
    const { topic, partition } = batch;
    const commitEvery = this.host.options.commitIntervalMs;
    const key = `${topic}\u0000${partition}`;
    let resolved: string | undefined;
    let handled = 0;
    const commit = (): Promise<void> =>
      this.commitPending((offsets) => commitOffsetsIfNecessary({ topics: groupByTopic(offsets) }));
    const keepAlive = async (): Promise<void> => {
      await commit();
      await heartbeat();
    };
    const proceed = (): boolean => isRunning() && !isStale() && this.state === 'running';
    /** Marks everything up to `last` as handled: committed by the next commit. */
    const handledUpTo = (last: KafkaMessage, count: number): void => {
      resolveOffset(last.offset);
      resolved = last.offset;
      this.pending.set(key, {
        topic,
        partition,
        offset: (BigInt(last.offset) + 1n).toString(),
      });
      handled += count;
    };
    try {
      if (this.settings.batchHandler !== undefined) {
        const { messages } = batch;
        const size = this.settings.maxBatchRecords;
        for (let start = 0; start < messages.length; start += size) {
          if (!proceed()) break;
          const chunk = messages.slice(start, start + size);
          const outcome = await this.processBatch(topic, partition, chunk, keepAlive, proceed);
          if (outcome === 'aborted') break;
          handledUpTo(chunk[chunk.length - 1] as KafkaMessage, chunk.length);
          if (Date.now() - this.lastCommitAt >= commitEvery) await keepAlive();
        }
      } else {
        for (const message of batch.messages) {
          if (!proceed()) break;
          const outcome = await this.process(topic, partition, message, keepAlive, proceed);
          if (outcome === 'aborted') break;
          handledUpTo(message, 1);
          if (Date.now() - this.lastCommitAt >= commitEvery) await keepAlive();
        }
      }
    } finally {
      if (handled > 0) this.host.metrics?.kafkaRecordsConsumed.inc({ topic }, handled);
      if (isStale()) this.pending.delete(key);
      else if (this.state !== 'running' || Date.now() - this.lastCommitAt >= commitEvery) {
        await commit().catch((error: unknown) =>
          this.logger.warn(
            { err: error, topic, partition },
            'commit failed; the records will be redelivered',
          ),
        );
      }
      const next = resolved === undefined ? Number(batch.firstOffset() ?? 0) : Number(resolved) + 1;
      const lag = Math.max(0, Number(batch.highWatermark) - next);
      this.host.metrics?.kafkaConsumerLag.set(
        { group: this.groupId, topic, partition: String(partition) },
        lag,
      );
    }
  }

  /**
   * Decode and handle one record. A retriable failure (registry, database or Kafka away, a
   * timeout) is retried with backoff for as long as it lasts, the record uncommitted; only a
   * failure no retry can fix (malformed record, a non-retriable handler error) dead-letters it.
   */
  private async process(
    topic: string,
    partition: number,
    message: KafkaMessage,
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<Outcome> {
    const { codec } = this.settings;
    const handler = this.settings.handler as RecordHandler<T>;
    let record: ConsumedRecord<T> | undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (record === undefined) {
          const value = await codec.decode(message.value ?? emptyValue, { topic });
          record = consumedRecord(topic, partition, message, value);
        }
        await handler(record, { attempt, assignment: this.assignment });
        this.retried(topic, partition, attempt);
        return 'done';
      } catch (error) {
        const reason: DeadLetterReason = record === undefined ? 'decode' : 'handler';
        const next = await this.afterFailure(
          reason,
          error,
          { topic, partition, offset: message.offset, attempt, records: 1 },
          keepAlive,
          proceed,
        );
        if (next === 'retry') continue;
        if (next === 'aborted') return 'aborted';
        const attempts = reason === 'decode' ? 0 : attempt;
        await this.deadLetter(reason, error, topic, partition, message, attempts);
        this.retried(topic, partition, attempt);
        return 'done';
      }
    }
  }

  /**
   * What follows a failed attempt: `dead-letter` when no retry can fix it, else `retry` after the
   * backoff (with no limit: a retriable error means infrastructure, and giving up would lose the
   * record), or `aborted` when the consumer stops or lost the partition meanwhile.
   */
  private async afterFailure(
    reason: DeadLetterReason,
    error: unknown,
    at: { topic: string; partition: number; offset: string; attempt: number; records: number },
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<'retry' | 'dead-letter' | 'aborted'> {
    const { topic, partition, offset, attempt } = at;
    const retriable = isRetriable(error);
    if (reason === 'handler') {
      this.host.metrics?.kafkaHandlerErrors.inc({
        topic,
        code: errorCodeOf(error),
        retriable: String(retriable),
      });
    }
    if (!retriable) {
      if (reason === 'handler') {
        this.logger.warn(
          {
            err: sdkErrors.KAFKA_HANDLER_FAILED(
              { topic, partition, offset, attempts: attempt },
              { cause: error },
            ),
            records: at.records,
          },
          'handler failed with an error no retry can fix; dead-lettering',
        );
      }
      return 'dead-letter';
    }
    this.retrying(reason, error, at);
    if (await this.backoff(retryDelayMs(this.settings.retry, attempt), keepAlive, proceed))
      return 'retry';
    this.retried(topic, partition, attempt);
    return 'aborted';
  }

  /** Notes a partition held by a retriable failure: a gauge, and a warning now and then. */
  private retrying(
    reason: DeadLetterReason,
    error: unknown,
    at: { topic: string; partition: number; offset: string; attempt: number; records: number },
  ): void {
    const key = `${at.topic}\u0000${at.partition}`;
    const now = Date.now();
    let held = this.held.get(key);
    if (held === undefined) {
      held = { since: now, loggedAt: 0 };
      this.held.set(key, held);
      this.host.metrics?.kafkaConsumerRetrying.set({ group: this.groupId }, this.held.size);
    }
    if (now - held.loggedAt >= retryLogIntervalMs) {
      held.loggedAt = now;
      this.logger.warn(
        {
          err: error,
          code: errorCodeOf(error),
          stage: reason,
          topic: at.topic,
          partition: at.partition,
          offset: at.offset,
          attempt: at.attempt,
          records: at.records,
          retryingForMs: now - held.since,
        },
        'retriable failure: retrying until it succeeds; the partition waits, nothing is committed or dead-lettered',
      );
    }
  }

  /** The partition moves again (success, dead letter, or abort after retries). */
  private retried(topic: string, partition: number, attempt: number): void {
    if (this.held.size === 0) return;
    const key = `${topic}\u0000${partition}`;
    const held = this.held.get(key);
    if (held === undefined) return;
    this.held.delete(key);
    this.host.metrics?.kafkaConsumerRetrying.set({ group: this.groupId }, this.held.size);
    this.logger.info(
      { topic, partition, attempts: attempt, retriedForMs: Date.now() - held.since },
      'the partition moves again after retriable failures',
    );
  }

  /** Waits `ms`, heartbeating on the way; false when the consumer is stopping or lost the partition. */
  private async backoff(
    ms: number,
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<boolean> {
    const slice = Math.max(50, this.host.options.heartbeatIntervalMs);
    for (let left = ms; left > 0; left -= slice) {
      await sleep(Math.min(slice, left));
      if (!proceed()) return false;
      await keepAlive();
    }
    return proceed();
  }

  /** Writes one dead letter at once (the record-at-a-time path). */
  private async deadLetter(
    reason: DeadLetterReason,
    error: unknown,
    topic: string,
    partition: number,
    message: KafkaMessage,
    attempts: number,
  ): Promise<void> {
    await this.sendDeadLetters(topic, [
      this.deadLetterOf(reason, error, topic, partition, message, attempts),
    ]);
  }

  /** The record as it goes to `<topic>.dlq`: original key, value and headers plus ours. */
  private deadLetterOf(
    reason: DeadLetterReason,
    error: unknown,
    topic: string,
    partition: number,
    message: KafkaMessage,
    attempts: number,
  ): DeadLetter {
    const headers: IHeaders = {
      ...message.headers,
      ...deadLetterHeadersFor({
        reason,
        error,
        topic,
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        groupId: this.groupId,
        attempts,
        retriable: isRetriable(error),
      }),
    };
    return {
      message: { key: message.key ?? null, value: message.value, headers },
      reason,
      partition,
      offset: message.offset,
      code: errorCodeOf(error),
    };
  }

  private async sendDeadLetters(topic: string, deadLetters: readonly DeadLetter[]): Promise<void> {
    if (deadLetters.length === 0) return;
    const dlqTopic = dlqTopicName(topic);
    try {
      await this.host.produceRaw(
        dlqTopic,
        deadLetters.map(({ message }) => ({ ...message, headers: message.headers ?? {} })),
      );
    } catch (cause) {
      throw sdkErrors.KAFKA_DLQ_PUBLISH_FAILED(
        { topic, dlqTopic, reason: (cause as Error).message },
        { cause },
      );
    }
    this.deadLettered(topic, deadLetters);
  }

  /** Counts and logs dead letters once they are written. */
  private deadLettered(topic: string, deadLetters: readonly DeadLetter[]): void {
    const dlqTopic = dlqTopicName(topic);
    for (const { reason, partition, offset, code } of deadLetters) {
      this.host.metrics?.kafkaDeadLettered.inc({ topic, reason });
      this.logger.warn({ topic, partition, offset, reason, code }, `record sent to ${dlqTopic}`);
    }
  }

  /**
   * Batch mode: decode a chunk of one partition's batch, then hand it to the batch handler. A
   * record that cannot be decoded for a retriable reason (the registry is away) holds the chunk
   * until it can; one that can never be decoded is dead-lettered with the chunk's outputs.
   */
  private async processBatch(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<Outcome> {
    const { codec } = this.settings;
    const context = { topic };
    decoding: for (let attempt = 1; ; attempt += 1) {
      const records: ConsumedRecord<T>[] = [];
      const sources: KafkaMessage[] = [];
      const undecodable: DeadLetter[] = [];
      for (const message of messages) {
        let value: T;
        try {
          const decoded = codec.decode(message.value ?? emptyValue, context);
          value = decoded instanceof Promise ? await decoded : decoded;
        } catch (error) {
          const next = await this.afterFailure(
            'decode',
            error,
            { topic, partition, offset: message.offset, attempt, records: messages.length },
            keepAlive,
            proceed,
          );
          if (next === 'retry') continue decoding;
          if (next === 'aborted') return 'aborted';
          undecodable.push(this.deadLetterOf('decode', error, topic, partition, message, 0));
          continue;
        }
        records.push(consumedRecord(topic, partition, message, value));
        sources.push(message);
      }
      this.retried(topic, partition, attempt);
      return this.handleBatch(topic, partition, records, sources, undecodable, keepAlive, proceed);
    }
  }

  /**
   * Calls the batch handler and sends its outputs and dead letters in one send; only then is the
   * batch done (its offsets may be committed). Retriable failures (the handler's or the send's)
   * retry the whole batch with backoff until they pass; a non-retriable failure hands the records
   * to the handler one by one, so one poison record cannot dead-letter its neighbours.
   */
  private async handleBatch(
    topic: string,
    partition: number,
    records: readonly ConsumedRecord<T>[],
    sources: readonly KafkaMessage[],
    undecodable: readonly DeadLetter[],
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<Outcome> {
    const batchHandler = this.settings.batchHandler as BatchHandler<T>;
    if (records.length === 0) {
      await this.sendDeadLetters(topic, undecodable);
      return 'done';
    }
    const first = sources[0] as KafkaMessage;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result =
          (await batchHandler(records, { attempt, assignment: this.assignment })) ?? {};
        const { topicMessages, deadLetters } = await this.batchMessages(
          topic,
          partition,
          result,
          sources,
          undecodable,
          attempt,
        );
        try {
          await this.host.produceBatch(topicMessages);
        } catch (cause) {
          // The dead letters rode along: name them, as the record-at-a-time path does.
          if (deadLetters.length === 0) throw cause;
          throw sdkErrors.KAFKA_DLQ_PUBLISH_FAILED(
            { topic, dlqTopic: dlqTopicName(topic), reason: (cause as Error).message },
            { cause },
          );
        }
        this.deadLettered(topic, deadLetters);
        this.retried(topic, partition, attempt);
        return 'done';
      } catch (error) {
        const next = await this.afterFailure(
          'handler',
          error,
          { topic, partition, offset: first.offset, attempt, records: records.length },
          keepAlive,
          proceed,
        );
        if (next === 'retry') continue;
        if (next === 'aborted') return 'aborted';
        this.retried(topic, partition, attempt);
        if (records.length > 1) {
          this.logger.warn(
            { err: error, topic, partition, records: records.length },
            'batch handler failed; handling the records one at a time',
          );
          for (let index = 0; index < records.length; index += 1) {
            const outcome = await this.handleBatch(
              topic,
              partition,
              [records[index] as ConsumedRecord<T>],
              [sources[index] as KafkaMessage],
              [],
              keepAlive,
              proceed,
            );
            if (outcome === 'aborted') return 'aborted';
          }
          await this.sendDeadLetters(topic, undecodable);
          return 'done';
        }
        await this.sendDeadLetters(topic, [
          ...undecodable,
          this.deadLetterOf('handler', error, topic, partition, first, attempt),
        ]);
        return 'done';
      }
    }
  }

  /** The handler's outputs, encoded and grouped by topic, plus every dead letter of the batch. */
  private async batchMessages(
    topic: string,
    partition: number,
    result: BatchResult,
    sources: readonly KafkaMessage[],
    undecodable: readonly DeadLetter[],
    attempt: number,
  ): Promise<{
    topicMessages: { topic: string; messages: KafkaOutgoingMessage[] }[];
    deadLetters: DeadLetter[];
  }> {
    const byTopic = new Map<string, KafkaOutgoingMessage[]>();
    for (const output of result.outputs ?? []) {
      const encoded = await encodeOutgoingRecords(output.topic, output.records, output.codec);
      const existing = byTopic.get(output.topic);
      if (existing === undefined) byTopic.set(output.topic, encoded);
      else for (const message of encoded) existing.push(message);
    }
    const deadLetters = [...undecodable];
    for (const { index, error } of result.rejected ?? []) {
      const source = sources[index];
      if (source === undefined) {
        throw sdkErrors.OPTIONS_INVALID({
          component: 'kafka batch handler',
          problems: [`rejected index ${index} is not a record of the batch`],
        });
      }
      this.host.metrics?.kafkaHandlerErrors.inc({
        topic,
        code: errorCodeOf(error),
        retriable: 'false',
      });
      deadLetters.push(this.deadLetterOf('handler', error, topic, partition, source, attempt));
    }
    if (deadLetters.length > 0) {
      const dlqTopic = dlqTopicName(topic);
      const dead = deadLetters.map(({ message }) => message);
      const existing = byTopic.get(dlqTopic);
      if (existing === undefined) byTopic.set(dlqTopic, dead);
      else for (const message of dead) existing.push(message);
    }
    return {
      topicMessages: [...byTopic].map(([name, messages]) => ({ topic: name, messages })),
      deadLetters,
    };
  }
}

function consumedRecord<T>(
  topic: string,
  partition: number,
  message: KafkaMessage,
  value: T,
): ConsumedRecord<T> {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value,
    headers: headerStrings(message.headers),
    timestamp: Number(message.timestamp),
  };
}
