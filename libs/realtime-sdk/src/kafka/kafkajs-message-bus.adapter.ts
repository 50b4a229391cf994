import type { IHeaders, Kafka, LogEntry, Producer, RecordMetadata } from 'kafkajs';
import { isRealtimePlatformError } from '@realtime-platform/errors';
import { sdkErrors } from '../sdk.errors.js';
import { silentLogger, type Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import type { Codec } from './codecs/codec.port.js';
import { kafkaAccessError } from './kafka-access.errors.js';
import {
  resolveKafkaBusOptions,
  type KafkaBusInput,
  type KafkaBusOptions,
} from './kafka.options.js';
import {
  installKafkajsSpeedups,
  kafkajsSpeedupsOff,
  type KafkajsSpeedups,
} from './kafkajs-speedups.js';
import { KafkajsSubscription, type SubscriptionHost } from './kafkajs-subscription.js';
import {
  installRequestQueueFix,
  type KafkajsRequestQueuePatch,
} from './kafkajs-request-queue.patch.js';
import { kafkajsRequire, loadKafkajs } from './kafkajs.loader.js';
import { partitionPinning, uncoveredPartitions } from './kafkajs-send-coverage.guard.js';
import { memoizedKeyPartitioner } from './memoized-key.partitioner.js';
import { encodeOutgoingRecords, type KafkaOutgoingMessage } from './outgoing-records.encoder.js';
import { resolveSubscription } from './subscription.options.js';
import { startSubscription } from './subscription.start.js';
import type {
  MessageBus,
  OutgoingRecord,
  Reachability,
  SubscribeOptions,
  Subscription,
} from './message-bus.port.js';

/** kafkajs log lines into pino, one child per kafkajs namespace. */
function kafkajsLogCreator(logger: Logger, kafkaLogLevel: typeof import('kafkajs').logLevel) {
  const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
    [kafkaLogLevel.ERROR]: 'error',
    [kafkaLogLevel.WARN]: 'warn',
    [kafkaLogLevel.INFO]: 'info',
    [kafkaLogLevel.DEBUG]: 'debug',
  };
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, ...extra } = log;
      // We limit the idempotent producer's retries on purpose (publish must not hang forever on a
      // missing topic); kafkajs warns about it at every connect.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      logger[levels[level] ?? 'info']({ namespace, ...extra }, message);
    };
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/**
 * The kafkajs adapter of the MessageBus port. One idempotent producer (acks=all, one request in
 * flight so retries keep order) shared by `publish` and the DLQ; one consumer per subscription.
 * kafkajs is loaded when the first bus is created, not when the SDK is imported, so
 * `kafkajsSpeedups: true` can still replace its producer internals (see `installKafkajsSpeedups`);
 * what it achieved is `speedups`, and logged.
 */
export class KafkajsMessageBus implements MessageBus, SubscriptionHost {
  readonly kafka: Kafka;
  readonly options: KafkaBusOptions;
  readonly logger: Logger;
  readonly metrics: SdkMetrics | undefined;
  private producer: Producer | undefined;
  private connecting: Promise<void> | undefined;
  /** A failed send retired the producer; the next send creates a new one. */
  private retiredProducer = false;
  /** The end of the last send queued (see `send`). */
  private sendTail: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly active = new Set<KafkajsSubscription<unknown>>();
  /** The opt-in kafkajs speed-ups and what installing them achieved (`off` unless asked for). */
  readonly speedups: KafkajsSpeedups;
  /** kafkajs's request queues scheduled without negative timeouts (Node 24 warns about them). */
  readonly requestQueueFix: KafkajsRequestQueuePatch;

  constructor(input: KafkaBusInput) {
    this.options = resolveKafkaBusOptions(input);
    this.logger = (this.options.logger ?? silentLogger).child({ component: 'kafka' });
    this.metrics = this.options.metrics;
    const { security } = this.options;
    // Before kafkajs is loaded: the speed-ups replace modules kafkajs captures when it loads.
    this.speedups = this.options.kafkajsSpeedups ? installKafkajsSpeedups() : kafkajsSpeedupsOff;
    if (this.options.kafkajsSpeedups) {
      const missed = Object.values(this.speedups).some((status) => status !== 'installed');
      this.logger[missed ? 'warn' : 'info'](
        { client: 'kafkajs', speedups: this.speedups },
        missed
          ? 'kafkajs speed-ups asked for, not all installed (kafkajs was loaded before, or is not 2.2.4)'
          : 'kafkajs speed-ups installed (process-wide)',
      );
    }
    const { Kafka, logLevel } = loadKafkajs();
    // A fix, not a speed-up: a prototype method of kafkajs, so it applies to a loaded kafkajs too.
    this.requestQueueFix = installRequestQueueFix(kafkajsRequire);
    this.kafka = new Kafka({
      clientId: this.options.clientId,
      brokers: [...this.options.brokers],
      ...(security === undefined
        ? {}
        : {
            sasl: {
              mechanism: 'scram-sha-512',
              username: security.username,
              password: security.password,
            },
            // SASL_SSL: TLS verified against the system's CAs (Node's default).
            ssl: security.protocol === 'SASL_SSL',
          }),
      connectionTimeout: this.options.connectionTimeoutMs,
      requestTimeout: this.options.requestTimeoutMs,
      retry: this.clientRetry(),
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(this.logger, logLevel),
    });
  }

  /** The principal in error messages. */
  private get username(): string {
    return this.options.security?.username ?? 'ANONYMOUS';
  }

  /** A refused login or operation as its coded, non-retriable error; anything else unchanged. */
  private accessError(error: unknown, operation: string, resource: string) {
    return kafkaAccessError(error, {
      brokers: this.options.brokers,
      username: this.username,
      operation,
      resource,
    });
  }

  private clientRetry() {
    const { retries, initialRetryTimeMs, maxRetryTimeMs } = this.options.clientRetry;
    return { retries, initialRetryTime: initialRetryTimeMs, maxRetryTime: maxRetryTimeMs };
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(sdkErrors.KAFKA_NOT_STARTED({ operation: 'connect' }));
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // Murmur2 like the Java client: a key lands on the same partition whoever produced it
        // (kafkajs's DefaultPartitioner, with the hashes of string keys remembered), each record
        // pinned to its first partition so `send` can check the result covers it.
        createPartitioner: partitionPinning(memoizedKeyPartitioner),
        allowAutoTopicCreation: false,
        retry: this.clientRetry(),
      });
      try {
        await producer.connect();
      } catch (cause) {
        this.connecting = undefined;
        throw (
          this.accessError(cause, 'connect to', 'the cluster') ??
          sdkErrors.KAFKA_UNREACHABLE(
            { brokers: this.options.brokers, reason: (cause as Error).message },
            { cause },
          )
        );
      }
      this.producer = producer;
    })();
    return this.connecting;
  }

  private requireProducer(operation: string): Producer {
    if (this.producer === undefined || this.closed)
      throw sdkErrors.KAFKA_NOT_STARTED({ operation });
    return this.producer;
  }

  /** The producer, re-created first if a failed send retired the previous one. */
  private async activeProducer(operation: string): Promise<Producer> {
    if (this.producer === undefined && this.retiredProducer && !this.closed) await this.connect();
    return this.requireProducer(operation);
  }

  /**
   * After a failed send the idempotent producer's sequence state is unknown: the broker may have
   * written the batch it never acknowledged. kafkajs then reuses that sequence number for the next
   * batch, the broker answers DUPLICATE_SEQUENCE_NUMBER, and kafkajs reports success for a record
   * that was never written (found by the kill -9 test). A new producer gets a new producer id, so
   * its sequence numbers cannot collide with the lost ones.
   */
  private retireProducer(failed: Producer): void {
    if (this.producer !== failed) return;
    this.producer = undefined;
    this.connecting = undefined;
    this.retiredProducer = true;
    void failed.disconnect().catch(() => undefined);
  }

  async publish<T>(
    topic: string,
    records: readonly OutgoingRecord<T>[],
    codec: Codec<T>,
  ): Promise<void> {
    await this.activeProducer('publish');
    if (records.length === 0) return;
    const messages = await encodeOutgoingRecords(topic, records, codec);
    await this.send('publish', [{ topic, messages }]);
  }

  async produceRaw(
    topic: string,
    messages: { key: Buffer | string | null; value: Buffer | null; headers: IHeaders }[],
  ): Promise<void> {
    await this.send('dead-letter', [{ topic, messages }]);
  }

  /** Encoded records for several topics in one produce request per broker (kafkajs sendBatch). */
  async produceBatch(
    topicMessages: readonly { topic: string; messages: KafkaOutgoingMessage[] }[],
  ): Promise<void> {
    const nonEmpty = topicMessages.filter(({ messages }) => messages.length > 0);
    if (nonEmpty.length === 0) return;
    await this.send('publish', nonEmpty);
  }

  /**
   * Sends one at a time. kafkajs rolls a partition's sequence numbers back when a produce request
   * fails, although the dead broker may have written (and replicated) it; a concurrent send on the
   * same producer then reuses those numbers, and the new leader acknowledges its records as
   * duplicates of the written ones without writing them (found by the leader-move test with four
   * publishers). So a send starts only after the previous one ended, and a failed or incomplete
   * one retires the producer first. kafkajs sends one request per broker at a time anyway
   * (`maxInFlightRequests: 1`); what is lost is overlap between sends to different brokers.
   */
  private send(
    operation: string,
    topicMessages: readonly { topic: string; messages: KafkaOutgoingMessage[] }[],
  ): Promise<void> {
    const turn = this.sendTail.then(() => this.sendAlone(operation, topicMessages));
    this.sendTail = turn.catch(() => undefined);
    return turn;
  }

  private async sendAlone(
    operation: string,
    topicMessages: readonly { topic: string; messages: KafkaOutgoingMessage[] }[],
  ): Promise<void> {
    const producer = await this.activeProducer(operation);
    let results: RecordMetadata[];
    try {
      if (topicMessages.length === 1) {
        const [{ topic, messages }] = topicMessages as [(typeof topicMessages)[number]];
        results = await producer.send({ topic, acks: -1, messages });
      } else {
        results = await producer.sendBatch({ acks: -1, topicMessages: [...topicMessages] });
      }
    } catch (cause) {
      this.retireProducer(producer);
      const topics = topicMessages.map(({ topic }) => topic).join(',');
      throw (
        this.accessError(cause, 'write to', `topic ${topics}`) ??
        sdkErrors.KAFKA_PUBLISH_FAILED(
          { topic: topics, reason: (cause as Error).message },
          { cause },
        )
      );
    }
    // kafkajs can resolve a send that skipped partitions whose leader moved mid-send (see
    // kafkajs-send-coverage.guard.ts): unless every record's partition is acknowledged, the send
    // failed, and the caller's retry resends the whole batch (duplicates, never loss). The
    // producer is retired as after any failure: the skipped partitions' sequence state is unknown.
    const missing = uncoveredPartitions(topicMessages, results);
    if (missing.length > 0) {
      this.retireProducer(producer);
      const topics = topicMessages.map(({ topic }) => topic).join(',');
      this.logger.warn(
        { topic: topics, partitions: missing },
        'kafka send incomplete (a partition leader moved mid-send)',
      );
      throw sdkErrors.KAFKA_SEND_INCOMPLETE({ topic: topics, partitions: missing });
    }
    for (const { topic, messages } of topicMessages)
      this.metrics?.kafkaRecordsProduced.inc({ topic }, messages.length);
  }

  async subscribe<T>(input: SubscribeOptions<T>): Promise<Subscription> {
    await this.activeProducer('subscribe');
    const settings = resolveSubscription(input, this.options);
    await this.checkTopicsExist(settings.topics);
    const startOffsets =
      settings.mode === 'broadcast'
        ? await this.endOffsets(settings.topics)
        : new Map<string, string>();
    return startSubscription(
      this.active,
      new KafkajsSubscription<T>(this, {
        ...settings,
        startOffsets,
      }) as KafkajsSubscription<unknown>,
      settings,
      this.options.brokers,
      (error, operation, resource) => this.accessError(error, operation, resource),
    );
  }

  subscriptions(): readonly Subscription[] {
    return [...this.active];
  }

  /**
   * A short-lived admin client. Set-up calls use the client retries (a partition leader that is
   * still being elected must not fail a subscription); the readiness probe passes `retries: 0`.
   */
  private async withAdmin<R>(
    work: (admin: ReturnType<Kafka['admin']>) => Promise<R>,
    retries = this.options.clientRetry.retries,
  ): Promise<R> {
    const admin = this.kafka.admin({ retry: { ...this.clientRetry(), retries } });
    try {
      await admin.connect();
      return await work(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Fails with KAFKA_TOPIC_NOT_FOUND, after a few looks (metadata of a new topic can lag), or with
   * KAFKA_NOT_AUTHORIZED: a topic the principal may not describe is missing from its listing too,
   * and only asking for it by name tells the two apart.
   */
  private async checkTopicsExist(topics: readonly string[]): Promise<void> {
    for (let look = 1; ; look += 1) {
      const missing = await this.withAdmin(async (admin) => {
        const existing = new Set(await admin.listTopics());
        const absent = topics.find((topic) => !existing.has(topic));
        if (absent !== undefined) {
          await admin.fetchTopicMetadata({ topics: [absent] }).catch((error: unknown) => {
            const refused = this.accessError(error, 'describe', `topic ${absent}`);
            if (refused !== undefined) throw refused;
          });
        }
        return absent;
      }).catch((error: unknown) => {
        if (isRealtimePlatformError(error)) throw error;
        throw this.accessError(error, 'connect to', 'the cluster') ?? error;
      });
      if (missing === undefined) return;
      if (look === 3) throw sdkErrors.KAFKA_TOPIC_NOT_FOUND({ topic: missing });
      await new Promise((resolve) => setTimeout(resolve, 300 * look));
    }
  }

  /**
   * The current end of every partition: where a new broadcast group starts. Taken before the
   * consumer joins, so the subscription sees every record produced after `subscribe()` resolved -
   * kafkajs's own "latest" is resolved at the first fetch and would skip what came in between.
   */
  private async endOffsets(topics: readonly string[]): Promise<Map<string, string>> {
    const ends = new Map<string, string>();
    await this.withAdmin(async (admin) => {
      for (const topic of topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          ends.set(`${topic}\u0000${partition}`, high);
        }
      }
    });
    return ends;
  }

  async checkReachable(): Promise<Reachability> {
    try {
      const cluster = await withTimeout(
        this.withAdmin((admin) => admin.describeCluster(), 0),
        this.options.reachabilityTimeoutMs,
        'describeCluster',
      );
      return {
        ok: true,
        detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}`,
      };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.active].map((subscription) => subscription.stop()));
    this.active.clear();
    await this.connecting?.catch(() => undefined);
    await this.producer
      ?.disconnect()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'producer disconnect failed'));
    this.producer = undefined;
  }
}
