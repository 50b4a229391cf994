import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { kafkaAccessError } from './kafka-access.errors.js';
import type { KafkaBusOptions } from './kafka.options.js';
import {
  ConsumerSubscription,
  type ConsumerSubscriptionSettings,
} from './consumer-subscription.js';
import type { DeliveryHost } from './record-delivery.js';
import { processFetchMaxBytes } from './fetch-budget.js';

/** What a subscription needs from the bus that owns it: the delivery rules' needs and its client. */
export interface SubscriptionHost extends DeliveryHost {
  readonly kafka: Kafka;
  readonly options: KafkaBusOptions;
}

export interface SubscriptionSettings<T> extends ConsumerSubscriptionSettings<T> {
  readonly maxBytesPerPartition?: number | undefined;
  readonly fromBeginning: boolean;
  readonly partitionsConsumedConcurrently: number;
  /**
   * `topic\u0000partition → offset` to start from when the group has no offset yet (a new
   * broadcast group); applied with seek at the first join and committed at once.
   */
  readonly startOffsets: ReadonlyMap<string, string>;
}

function groupByTopic(offsets: readonly { topic: string; partition: number; offset: string }[]) {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    topics.set(topic, [...(topics.get(topic) ?? []), { partition, offset }]);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}

/**
 * One kafkajs consumer with the SDK's delivery rules:
 * - offsets are committed only for records whose handler resolved or that were dead-lettered
 *   (`autoCommit: false`, `eachBatchAutoResolve: false`, explicit commits every
 *   `commitIntervalMs` - from a timer or the batch in hand - and always on `stop()`, which
 *   kafkajs's own `stop()`/`disconnect()` never do). Not awaiting a commit after every batch keeps
 *   a round trip to the coordinator out of the fetch loop;
 * - what happens to each record (decode, handler, retries, dead letters) is `RecordDelivery`'s;
 *   while it retries, it calls back here to commit what was done and heartbeat, so a slow retry
 *   never costs the group membership (kafkajs heartbeats only from its fetch loop, and its
 *   rebalances are eager);
 * - crashes kafkajs does not restart itself (non-retriable errors) recreate the consumer with
 *   backoff, so consumption survives a broker that goes away and comes back.
 */
export class KafkajsSubscription<T> extends ConsumerSubscription<T> {
  private consumer: Consumer | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private restarting: Promise<void> | undefined;
  /** Next offset to commit per partition: handled (or dead-lettered) but not committed yet. */
  private readonly pending = new Map<
    string,
    { topic: string; partition: number; offset: string }
  >();
  private lastCommitAt = Date.now();
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly settings: SubscriptionSettings<T>,
  ) {
    super(host, settings);
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
    this.membership.set(false);
    this.state = 'stopped';
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
        if (this.consumer !== consumer || this.state !== 'running' || !this.membership.held) return;
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
      maxBytes: processFetchMaxBytes(),
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
      this.delivery.forgetPartitionsNotIn((topic, partition) =>
        (assigned[topic] ?? []).includes(partition),
      );
      this.anchor(consumer, assigned);
      this.assignment += 1;
      this.restartAttempt = 0;
      this.membership.set(true);
      this.logger.info('joined the consumer group');
    });
    consumer.on(consumer.events.REBALANCING, () => current() && this.membership.set(false));
    consumer.on(consumer.events.STOP, () => current() && this.membership.set(false));
    consumer.on(consumer.events.DISCONNECT, () => current() && this.membership.set(false));
    consumer.on(consumer.events.CRASH, (event) => {
      if (!current()) return;
      this.membership.set(false);
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
        this.membership.refuse(refused);
        this.logger.error({ err: refused, code: refused.code }, 'consumer refused by Kafka');
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
          const outcome = await this.delivery.processBatch(
            topic,
            partition,
            chunk,
            keepAlive,
            proceed,
          );
          if (outcome === 'aborted') break;
          handledUpTo(chunk[chunk.length - 1] as KafkaMessage, chunk.length);
          if (Date.now() - this.lastCommitAt >= commitEvery) await keepAlive();
        }
      } else {
        for (const message of batch.messages) {
          if (!proceed()) break;
          const outcome = await this.delivery.process(
            topic,
            partition,
            message,
            keepAlive,
            proceed,
          );
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
}
