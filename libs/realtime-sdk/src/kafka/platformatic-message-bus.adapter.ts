import type { Admin, BaseOptions, MessageToProduce, Producer } from '@platformatic/kafka';
import type { IHeaders } from 'kafkajs';
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
import type {
  MessageBus,
  OutgoingRecord,
  Reachability,
  SubscribeOptions,
  Subscription,
} from './message-bus.port.js';
import { encodeOutgoingRecords, type KafkaOutgoingMessage } from './outgoing-records.encoder.js';
import { loadPlatformaticKafka, type PlatformaticKafka } from './platformatic.loader.js';
import {
  PlatformaticSubscription,
  type PlatformaticSubscriptionHost,
} from './platformatic-subscription.js';
import type { DeliveryHost } from './record-delivery.js';
import { resolveSubscription } from './subscription.options.js';
import { startSubscription } from './subscription.start.js';

type RawProducer = Producer<Buffer | undefined, Buffer | null, Buffer, Buffer>;
type RawMessage = MessageToProduce<Buffer | undefined, Buffer | null, Buffer, Buffer>;

const maxCachedKeys = 10_000;

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

const toBuffer = (value: Buffer | string): Buffer =>
  Buffer.isBuffer(value) ? value : Buffer.from(value);

/** kafkajs-style headers as platformatic takes them (a key given several values keeps the first). */
function headerMap(headers: IHeaders | undefined): Map<Buffer, Buffer> | undefined {
  if (headers === undefined) return undefined;
  let map: Map<Buffer, Buffer> | undefined;
  for (const name in headers) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) continue;
    (map ??= new Map()).set(Buffer.from(name), toBuffer(first));
  }
  return map;
}

/**
 * The partitioner of the Java client and of the kafkajs adapter (`murmur2(key) & 0x7fffffff`, the
 * producer takes it modulo the partition count), so a device's records land on the same partition
 * whichever adapter produced them; platformatic's default (`murmur2 >>> 0`) differs. The hash of
 * string keys is remembered (a processor writes the same key to four topics, devices send again
 * and again); records without a key go round-robin.
 */
function javaCompatiblePartitioner(murmur2: (key: Buffer) => number) {
  const hashes = new Map<string, number>();
  let next = 0;
  return (message: RawMessage, key: Buffer | undefined): number => {
    if (key === undefined) return (next = (next + 1) & 0x7fffffff);
    const text = message.metadata;
    if (typeof text !== 'string') return murmur2(key) & 0x7fffffff;
    let hash = hashes.get(text);
    if (hash === undefined) {
      if (hashes.size >= maxCachedKeys) hashes.clear();
      hash = murmur2(key) & 0x7fffffff;
      hashes.set(text, hash);
    }
    return hash;
  };
}

/**
 * The @platformatic/kafka adapter of the MessageBus port (a maintained, pure-JS client). One
 * idempotent producer (acks=all) shared by `publish` and the DLQ; one consumer per subscription
 * with the same delivery rules as the kafkajs adapter (`RecordDelivery`, and the contract suite
 * both pass). The client is loaded at `connect()`, never on SDK import.
 */
export class PlatformaticMessageBus
  implements MessageBus, DeliveryHost, PlatformaticSubscriptionHost
{
  readonly options: KafkaBusOptions;
  readonly logger: Logger;
  readonly metrics: SdkMetrics | undefined;
  private loaded: PlatformaticKafka | undefined;
  private producer: RawProducer | undefined;
  private admin: Admin | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly active = new Set<PlatformaticSubscription<unknown>>();

  constructor(input: KafkaBusInput) {
    this.options = resolveKafkaBusOptions(input);
    this.logger = (this.options.logger ?? silentLogger).child({ component: 'kafka' });
    this.metrics = this.options.metrics;
  }

  get client(): PlatformaticKafka {
    if (this.loaded === undefined) throw sdkErrors.KAFKA_NOT_STARTED({ operation: 'subscribe' });
    return this.loaded;
  }

  /** The principal in error messages. */
  get username(): string {
    return this.options.security?.username ?? 'ANONYMOUS';
  }

  /** A refused login or operation as its coded, non-retriable error; else undefined. */
  accessError(error: unknown, operation: string, resource: string) {
    return kafkaAccessError(error, {
      brokers: this.options.brokers,
      username: this.username,
      operation,
      resource,
    });
  }

  /**
   * Brokers, login, timeouts and retries every client of this bus (producer, admin, consumers)
   * uses. SASL/SCRAM-SHA-512 from the kafka secret, TLS (the system's CAs) with SASL_SSL.
   */
  baseClientOptions(): BaseOptions {
    const { retries, initialRetryTimeMs, maxRetryTimeMs } = this.options.clientRetry;
    const { security } = this.options;
    return {
      clientId: this.options.clientId,
      bootstrapBrokers: [...this.options.brokers],
      ...(security === undefined
        ? {}
        : {
            sasl: {
              mechanism: 'SCRAM-SHA-512' as const,
              username: security.username,
              password: security.password,
            },
            ...(security.protocol === 'SASL_SSL' ? { tls: {} } : {}),
          }),
      connectTimeout: this.options.connectionTimeoutMs,
      timeout: this.options.requestTimeoutMs,
      retries,
      // Exponential between the bounds, as the kafkajs adapter's client retries.
      retryDelay: (_client, _operation, attempt) =>
        Math.min(maxRetryTimeMs, initialRetryTimeMs * 2 ** Math.max(0, attempt - 1)),
      autocreateTopics: false,
    };
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(sdkErrors.KAFKA_NOT_STARTED({ operation: 'connect' }));
    this.connecting ??= (async () => {
      const client = await loadPlatformaticKafka();
      this.loaded = client;
      const base = this.baseClientOptions();
      const producer = new client.Producer({
        ...base,
        // The client turns 0 or 1 retries of an idempotent producer into "retry forever": a
        // publish must fail (KAFKA_PUBLISH_FAILED, retriable: the caller decides) when the
        // brokers stay away, as with the kafkajs adapter.
        retries: Math.max(2, this.options.clientRetry.retries),
        idempotent: true,
        acks: client.ProduceAcks.ALL,
        partitioner: javaCompatiblePartitioner(client.murmur2),
      }) as unknown as RawProducer;
      const admin = new client.Admin(base);
      try {
        // The clients connect lazily: a metadata round trip (with the bus's client retries)
        // proves a broker answers and takes our login.
        await admin.metadata({ topics: [] });
      } catch (cause) {
        this.connecting = undefined;
        await producer.close().catch(() => undefined);
        await admin.close().catch(() => undefined);
        throw (
          this.accessError(cause, 'connect to', 'the cluster') ??
          sdkErrors.KAFKA_UNREACHABLE(
            { brokers: this.options.brokers, reason: (cause as Error).message },
            { cause },
          )
        );
      }
      this.producer = producer;
      this.admin = admin;
      this.logger.info({ client: '@platformatic/kafka' }, 'kafka bus connected');
    })();
    return this.connecting;
  }

  private requireProducer(operation: string): RawProducer {
    if (this.producer === undefined || this.closed)
      throw sdkErrors.KAFKA_NOT_STARTED({ operation });
    return this.producer;
  }

  async publish<T>(
    topic: string,
    records: readonly OutgoingRecord<T>[],
    codec: Codec<T>,
  ): Promise<void> {
    this.requireProducer('publish');
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

  async produceBatch(
    topicMessages: readonly { topic: string; messages: KafkaOutgoingMessage[] }[],
  ): Promise<void> {
    const nonEmpty = topicMessages.filter(({ messages }) => messages.length > 0);
    if (nonEmpty.length === 0) return;
    await this.send('publish', nonEmpty);
  }

  /**
   * One produce call (acks=all, idempotent) for records of several topics. After a failed send
   * the client starts a new producer id itself, so a retried batch can never be taken for a
   * duplicate of one the broker never acknowledged.
   */
  private async send(
    operation: string,
    topicMessages: readonly { topic: string; messages: KafkaOutgoingMessage[] }[],
  ): Promise<void> {
    const producer = this.requireProducer(operation);
    const messages: RawMessage[] = [];
    for (const { topic, messages: outgoing } of topicMessages) {
      for (const message of outgoing) {
        const { key } = message;
        const headers = headerMap(message.headers);
        const raw: RawMessage = {
          topic,
          key: key === null ? undefined : toBuffer(key),
          value: message.value,
        };
        if (typeof key === 'string') raw.metadata = key;
        if (headers !== undefined) raw.headers = headers;
        if (message.partition !== undefined) raw.partition = message.partition;
        if (message.timestamp !== undefined) raw.timestamp = BigInt(message.timestamp);
        messages.push(raw);
      }
    }
    try {
      await producer.send({ messages });
    } catch (cause) {
      const topics = topicMessages.map(({ topic }) => topic).join(',');
      throw (
        this.accessError(cause, 'write to', `topic ${topics}`) ??
        sdkErrors.KAFKA_PUBLISH_FAILED(
          { topic: topics, reason: (cause as Error).message },
          { cause },
        )
      );
    }
    for (const { topic, messages: sent } of topicMessages)
      this.metrics?.kafkaRecordsProduced.inc({ topic }, sent.length);
  }

  async subscribe<T>(input: SubscribeOptions<T>): Promise<Subscription> {
    this.requireProducer('subscribe');
    const settings = resolveSubscription(input, this.options);
    await this.checkTopicsExist(settings.topics);
    const startOffsets =
      settings.mode === 'broadcast'
        ? await this.endOffsets(settings.topics)
        : new Map<string, string>();
    return startSubscription(
      this.active,
      new PlatformaticSubscription<T>(this, {
        ...settings,
        startOffsets,
      }) as PlatformaticSubscription<unknown>,
      settings,
      this.options.brokers,
      (error, operation, resource) => this.accessError(error, operation, resource),
    );
  }

  subscriptions(): readonly Subscription[] {
    return [...this.active];
  }

  private requireAdmin(): Admin {
    if (this.admin === undefined || this.closed)
      throw sdkErrors.KAFKA_NOT_STARTED({ operation: 'subscribe' });
    return this.admin;
  }

  /**
   * Fails with KAFKA_TOPIC_NOT_FOUND, after a few looks (metadata of a new topic can lag), or with
   * KAFKA_NOT_AUTHORIZED: a topic the principal may not describe is missing from its listing too,
   * and only asking for it by name tells the two apart (as the kafkajs adapter does).
   */
  private async checkTopicsExist(topics: readonly string[]): Promise<void> {
    const admin = this.requireAdmin();
    for (let look = 1; ; look += 1) {
      let existing: Set<string>;
      try {
        existing = new Set(await admin.listTopics());
      } catch (error) {
        throw this.accessError(error, 'connect to', 'the cluster') ?? error;
      }
      const missing = topics.find((topic) => !existing.has(topic));
      if (missing !== undefined) {
        // One look, no retries: an unknown topic is what the loop around waits out.
        await admin
          .metadata({ topics: [missing], forceUpdate: true, retries: 0 })
          .catch((error: unknown) => {
            const refused = this.accessError(error, 'describe', `topic ${missing}`);
            if (refused !== undefined) throw refused;
          });
      }
      if (missing === undefined) return;
      if (look === 3) throw sdkErrors.KAFKA_TOPIC_NOT_FOUND({ topic: missing });
      await new Promise((resolve) => setTimeout(resolve, 300 * look));
    }
  }

  /** The current end of every partition: where a new broadcast group starts (see the kafkajs adapter). */
  private async endOffsets(topics: readonly string[]): Promise<Map<string, string>> {
    const admin = this.requireAdmin();
    const metadata = await admin.metadata({ topics: [...topics] });
    const listed = await admin.listOffsets({
      topics: topics.map((name) => ({
        name,
        partitions: Array.from(
          { length: metadata.topics.get(name)?.partitionsCount ?? 0 },
          (_, partitionIndex) => ({
            partitionIndex,
            timestamp: this.client.ListOffsetTimestamps.LATEST,
          }),
        ),
      })),
    });
    const ends = new Map<string, string>();
    for (const { name, partitions } of listed) {
      for (const { partitionIndex, offset } of partitions) {
        ends.set(`${name}\u0000${partitionIndex}`, offset.toString());
      }
    }
    return ends;
  }

  async checkReachable(): Promise<Reachability> {
    try {
      const metadata = await withTimeout(
        this.requireAdmin().metadata({ topics: [], forceUpdate: true, retries: 0 }),
        this.options.reachabilityTimeoutMs,
        'metadata',
      );
      return {
        ok: true,
        detail: `${metadata.brokers.size} broker(s), controller ${metadata.controllerId}`,
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
      ?.close()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'producer close failed'));
    await this.admin?.close().catch(() => undefined);
    this.producer = undefined;
    this.admin = undefined;
  }
}
