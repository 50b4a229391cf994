import { isRetriable } from '@realtime-platform/errors';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import type { IHeaders } from 'kafkajs';
import { sdkErrors } from '../sdk.errors.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import type { Codec } from './codecs/codec.port.js';
import { deadLetterHeadersFor, errorCodeOf, type DeadLetterReason } from './dead-letter.headers.js';
import type {
  BatchHandler,
  BatchResult,
  ConsumedRecord,
  ConsumerMode,
  RecordHandler,
  RetryPolicy,
} from './message-bus.port.js';
import { encodeOutgoingRecords, type KafkaOutgoingMessage } from './outgoing-records.encoder.js';
import { retryDelayMs } from './retry.policy.js';

/**
 * A record as the adapters fetched it, before decoding: kafkajs's `KafkaMessage` as it is; other
 * clients' records are converted to it. Offsets and timestamps as decimal strings.
 */
export interface SourceRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
  readonly offset: string;
  readonly timestamp: string;
}

/** What the delivery rules need from the bus: its producer, options, logger and metrics. */
export interface DeliveryHost {
  readonly options: { readonly heartbeatIntervalMs: number };
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

export interface DeliverySettings<T> {
  readonly groupId: string;
  /** The metrics' `subscription` label: the group id without a broadcast group's suffix. */
  readonly label?: string;
  readonly mode: ConsumerMode;
  readonly topics: readonly string[];
  readonly codec: Codec<T>;
  /** Exactly one of `handler` and `batchHandler` is set. */
  readonly handler?: RecordHandler<T> | undefined;
  readonly batchHandler?: BatchHandler<T> | undefined;
  readonly maxBatchRecords: number;
  readonly retry: RetryPolicy;
}

/** `done`: handled or dead-lettered (its offset may be committed); `aborted`: stopping or partition lost. */
export type Outcome = 'done' | 'aborted';

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
 * The SDK's delivery rules for the records of one partition, whichever Kafka client fetched them
 * (the adapters own fetching, committing and group membership; this owns what happens to a record):
 * - decode, then hand to the handler (or a chunk to the batch handler);
 * - retriable errors (decode or handler: registry, database, Kafka away, timeouts) are retried
 *   with backoff for as long as they last, `keepAlive` (commit what was done, heartbeat) called
 *   while waiting; the partition waits and `rtp_kafka_consumer_retrying` shows it. Infrastructure
 *   trouble never dead-letters;
 * - records no retry can fix (undecodable, non-retriable handler errors) go to `<topic>.dlq` with
 *   reason headers; a failing batch is handed over one record at a time, so only the poison
 *   record is dead-lettered.
 */
export class RecordDelivery<T> {
  private readonly logger: Logger;
  /** Partitions held by retriable failures: since when, and when that was last logged. */
  private readonly held = new Map<string, { since: number; loggedAt: number }>();

  constructor(
    private readonly host: DeliveryHost,
    private readonly settings: DeliverySettings<T>,
    /** `HandlerContext.assignment`: how many times the consumer joined its group so far. */
    private readonly assignment: () => number,
  ) {
    this.logger = host.logger.child({
      component: 'kafka-consumer',
      groupId: settings.groupId,
      mode: settings.mode,
    });
    this.stageLabels = { subscription: settings.label ?? settings.groupId };
  }

  private readonly stageLabels: { subscription: string };

  private observeDecode(start: number): void {
    this.host.metrics?.kafkaDecodeSeconds.observe(
      this.stageLabels,
      (performance.now() - start) / 1000,
    );
  }

  private observeHandler(start: number): void {
    this.host.metrics?.kafkaHandlerSeconds.observe(
      this.stageLabels,
      (performance.now() - start) / 1000,
    );
  }

  private observeDelay(timestamp: number, now: number): void {
    this.host.metrics?.kafkaRecordDelay.observe(
      this.stageLabels,
      Math.max(0, now - timestamp) / 1000,
    );
  }

  /** After a rebalance: partitions this member lost are no longer held here. */
  forgetPartitionsNotIn(assigned: (topic: string, partition: number) => boolean): void {
    for (const key of this.held.keys()) {
      const [topic = '', partition = ''] = key.split('\u0000');
      if (!assigned(topic, Number(partition))) this.held.delete(key);
    }
    this.host.metrics?.kafkaConsumerRetrying.set({ group: this.settings.groupId }, this.held.size);
  }

  /**
   * Decode and handle one record. A retriable failure (registry, database or Kafka away, a
   * timeout) is retried with backoff for as long as it lasts, the record uncommitted; only a
   * failure no retry can fix (malformed record, a non-retriable handler error) dead-letters it.
   */
  async process(
    topic: string,
    partition: number,
    message: SourceRecord,
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<Outcome> {
    const { codec } = this.settings;
    const handler = this.settings.handler as RecordHandler<T>;
    let record: ConsumedRecord<T> | undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (record === undefined) {
          const decodeStart = performance.now();
          const value = await codec.decode(message.value ?? emptyValue, { topic });
          record = consumedRecord(topic, partition, message, value);
          this.observeDecode(decodeStart);
          this.observeDelay(record.timestamp, Date.now());
        }
        const handlerStart = performance.now();
        await handler(record, { attempt, assignment: this.assignment() });
        this.observeHandler(handlerStart);
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
      this.host.metrics?.kafkaConsumerRetrying.set(
        { group: this.settings.groupId },
        this.held.size,
      );
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
    this.host.metrics?.kafkaConsumerRetrying.set({ group: this.settings.groupId }, this.held.size);
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
    message: SourceRecord,
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
    message: SourceRecord,
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
        groupId: this.settings.groupId,
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
  async processBatch(
    topic: string,
    partition: number,
    messages: readonly SourceRecord[],
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<Outcome> {
    const { codec } = this.settings;
    const context = { topic };
    decoding: for (let attempt = 1; ; attempt += 1) {
      const decodeStart = performance.now();
      const records: ConsumedRecord<T>[] = [];
      const sources: SourceRecord[] = [];
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
      this.observeDecode(decodeStart);
      const now = Date.now();
      for (const record of records) this.observeDelay(record.timestamp, now);
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
    sources: readonly SourceRecord[],
    undecodable: readonly DeadLetter[],
    keepAlive: () => Promise<void>,
    proceed: () => boolean,
  ): Promise<Outcome> {
    const batchHandler = this.settings.batchHandler as BatchHandler<T>;
    if (records.length === 0) {
      await this.sendDeadLetters(topic, undecodable);
      return 'done';
    }
    const first = sources[0] as SourceRecord;
    for (let attempt = 1; ; attempt += 1) {
      const handlerStart = performance.now();
      try {
        const result =
          (await batchHandler(records, { attempt, assignment: this.assignment() })) ?? {};
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
        this.observeHandler(handlerStart);
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
              [sources[index] as SourceRecord],
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
    sources: readonly SourceRecord[],
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
  message: SourceRecord,
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
