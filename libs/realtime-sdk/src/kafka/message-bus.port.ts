import type { RealtimePlatformError } from '@realtime-platform/errors';
import type { Codec } from './codecs/codec.port.js';

export type RecordHeaders = Readonly<Record<string, string>>;

/** A decoded record handed to a handler. Offsets are strings (Kafka offsets are 64-bit). */
export interface ConsumedRecord<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: T;
  readonly headers: RecordHeaders;
  /** Record timestamp, milliseconds since the epoch. */
  readonly timestamp: number;
}

export interface HandlerContext {
  /** 1 on the first try, then 2, 3… while retriable errors (decode or handler) are retried. */
  readonly attempt: number;
  /**
   * Grows each time this consumer (re)joins its group and gets its partitions. A handler that
   * keeps state derived from the records of its partitions (and persisted elsewhere) reloads it
   * when this changes: after a rebalance the partitions, and so the state, may be others.
   */
  readonly assignment: number;
}

/**
 * Handles one record. Resolving commits it (eventually, in order); throwing a coded error with
 * `retriable: true` (infrastructure: a database, registry or broker away, a timeout) retries with
 * backoff until it succeeds, the partition waiting; any other error sends the record to
 * `<topic>.dlq` and moves on. Never mark an error retriable that a retry cannot fix: the
 * partition would wait forever (`rtp_kafka_consumer_retrying` shows it).
 */
export type RecordHandler<T> = (record: ConsumedRecord<T>, context: HandlerContext) => unknown;

export interface OutgoingRecord<T> {
  readonly key?: string;
  readonly value: T;
  readonly headers?: RecordHeaders;
  readonly partition?: number;
  /**
   * The record's timestamp (CreateTime), milliseconds since the epoch; default: when it is sent.
   * A processor that forwards the input record's timestamp behaves like Kafka Streams.
   */
  readonly timestamp?: number;
}

/** Records for one topic and the codec that encodes their values. */
export interface TopicRecords<T = unknown> {
  readonly topic: string;
  readonly records: readonly OutgoingRecord<T>[];
  readonly codec: Codec<T>;
}

/** A record of the batch (by its index in the handler's array) that must go to `<topic>.dlq`. */
export interface RejectedRecord {
  readonly index: number;
  /** Why: a coded, non-retriable error; its code and message become the DLQ headers. */
  readonly error: unknown;
}

/**
 * What a batch handler made of its records. The SDK produces `outputs` and the dead letters of
 * `rejected` (and of records that failed to decode) in one send with acks from all in-sync
 * replicas, and only then resolves the batch's offsets for the next commit: at-least-once.
 */
export interface BatchResult {
  readonly outputs?: readonly TopicRecords[];
  readonly rejected?: readonly RejectedRecord[];
}

/**
 * Handles the decoded records of one partition's batch, in offset order. Resolving sends its
 * result (see `BatchResult`); throwing a retriable coded error retries the whole batch with
 * backoff until it passes (its outputs may then be produced more than once: at-least-once); a non-retriable
 * error makes the SDK hand the records one at a time to the handler, so only the records that
 * still fail go to `<topic>.dlq`.
 */
export type BatchHandler<T> = (
  records: readonly ConsumedRecord<T>[],
  context: HandlerContext,
) => BatchResult | void | Promise<BatchResult | void>;

/**
 * `broadcast`: every replica sees every record (a group of its own per instance, from the latest
 * offset when it subscribes). `shared`: the replicas of a service split the partitions of one
 * group, each record is handled by one of them, and offsets survive restarts.
 */
export type ConsumerMode = 'broadcast' | 'shared';

/**
 * Backoff between the attempts of a record (or batch) that failed with a retriable error. There is
 * no attempt limit on purpose: retriable means infrastructure, and giving up would lose the record.
 */
export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  /** 0..1: the delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
}

export interface SubscribeOptions<T> {
  readonly topics: readonly string[];
  readonly mode: ConsumerMode;
  readonly codec: Codec<T>;
  /** One record at a time. Give exactly one of `handler` and `batchHandler`. */
  readonly handler?: RecordHandler<T>;
  /**
   * A partition's batch at a time (up to `maxBatchRecords`), its outputs produced in one send:
   * for processors whose throughput matters. Give exactly one of `handler` and `batchHandler`.
   */
  readonly batchHandler?: BatchHandler<T>;
  /** Batch mode: at most this many records per handler call (default 5000). */
  readonly maxBatchRecords?: number;
  /** Most bytes fetched per partition and request (kafkajs default 1 MiB). */
  readonly maxBytesPerPartition?: number;
  /** Shared: the group id (default: the bus's `consumerGroup`). Broadcast: the base of the id. */
  readonly groupId?: string;
  /** Shared mode, when the group has no committed offset: earliest (true) or latest (false). */
  readonly fromBeginning?: boolean;
  readonly retry?: Partial<RetryPolicy>;
  /** Partitions handled in parallel (records of one partition are always handled in order). */
  readonly partitionsConsumedConcurrently?: number;
}

/** A running consumer. */
export interface Subscription {
  readonly groupId: string;
  readonly mode: ConsumerMode;
  readonly topics: readonly string[];
  /** True while the consumer is a member of its group with partitions it may fetch. */
  joined(): boolean;
  /** Waits until `joined()` (or rejects after `timeoutMs`, or at once with `failed()`). */
  waitUntilJoined(timeoutMs?: number): Promise<void>;
  /**
   * The coded error (RTP_ERR_SDK_KAFKA_AUTH_FAILED / _NOT_AUTHORIZED) that stopped the
   * subscription for good, or undefined: a refused login or ACL is not retried.
   */
  failed(): RealtimePlatformError | undefined;
  /** Finishes the record in hand, commits what was handled, leaves the group, disconnects. */
  stop(): Promise<void>;
}

export interface Reachability {
  readonly ok: boolean;
  readonly detail: string;
}

/** The Kafka port: what applications and the rest of the SDK use; kafkajs is one adapter. */
export interface MessageBus {
  connect(): Promise<void>;
  /** Sends with acks from all in-sync replicas through an idempotent producer. */
  publish<T>(topic: string, records: readonly OutgoingRecord<T>[], codec: Codec<T>): Promise<void>;
  subscribe<T>(options: SubscribeOptions<T>): Promise<Subscription>;
  subscriptions(): readonly Subscription[];
  /** A metadata round trip to the brokers, bounded in time (readiness). */
  checkReachable(): Promise<Reachability>;
  /** Stops every subscription (committing), then disconnects the producer. */
  close(): Promise<void>;
}
