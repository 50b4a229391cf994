import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import { optionsValidator, type OptionsSchema } from '../options/options.validator.js';
import type { KafkaBusSecurity } from './kafka-access.errors.js';
import type { RetryPolicy } from './message-bus.port.js';
import { defaultRetryPolicy } from './retry.policy.js';

/**
 * The MessageBus adapters (`RTP_KAFKA_CLIENT`): `platformatic` (@platformatic/kafka, maintained),
 * `kafkajs` (kafkajs 2.2.4 as published, unmaintained), `kafkajs-speedups` (kafkajs with two
 * producer internals replaced for the whole process, see `installKafkajsSpeedups`).
 */
export const kafkaClients = ['platformatic', 'kafkajs', 'kafkajs-speedups'] as const;
export type KafkaClientName = (typeof kafkaClients)[number];

export interface KafkaBusOptions {
  /** `KAFKA_BOOTSTRAP_SERVERS` of the kafka secret (`config.platform.kafka.bootstrapServers`). */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /**
   * The SASL login (and TLS with `SASL_SSL`) of the kafka secret: `kafkaBusSecurity(config.platform.kafka)`.
   * The platform's brokers refuse clients without it; only a test broker of one's own runs without.
   */
  readonly security?: KafkaBusSecurity;
  /** Shared subscriptions' default group id and the base of broadcast group ids. */
  readonly consumerGroup: string;
  /** Part of broadcast group ids (the pod name). */
  readonly instanceId: string;
  readonly logger?: Logger;
  readonly metrics?: SdkMetrics;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** kafkajs client retries (connections, metadata, produce): exponential between these bounds. */
  readonly clientRetry: {
    readonly retries: number;
    readonly initialRetryTimeMs: number;
    readonly maxRetryTimeMs: number;
  };
  /** How long the group waits for a silent member before moving its partitions (crash recovery). */
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** How long a fetch waits for data when a partition is idle (also bounds how fast `stop()` is). */
  readonly maxWaitTimeMs: number;
  /** Backoff of retriable failures (retried until they pass), unless a subscription sets its own. */
  readonly retry: RetryPolicy;
  /** Commit handled offsets this often (and always on stop): the window of redelivery after a crash. */
  readonly commitIntervalMs: number;
  /** Delay bounds when recreating a consumer that kafkajs did not restart itself. */
  readonly restartDelayMs: { readonly initial: number; readonly max: number };
  /** How long `checkReachable()` may take. */
  readonly reachabilityTimeoutMs: number;
  /**
   * kafkajs adapter only, opt-in: replace two kafkajs 2.2.4 producer internals with faster ones of
   * the same output, for the whole process (`installKafkajsSpeedups`). Default false.
   */
  readonly kafkajsSpeedups: boolean;
  /**
   * Adapters that support it (@platformatic/kafka): shared subscriptions join their group as a
   * static member (KIP-345, `group.instance.id` = `instanceId`), so a replica that restarts with
   * the same instance id (a crash, kill -9) gets its partitions back at once instead of after
   * `sessionTimeoutMs`. Needs `instanceId` unique per replica (the pod name is): a second member
   * with the same id fences the first. Default true.
   */
  readonly staticMembership: boolean;
}

export type KafkaBusInput = Pick<
  KafkaBusOptions,
  'brokers' | 'clientId' | 'consumerGroup' | 'instanceId'
> &
  Partial<Omit<KafkaBusOptions, 'brokers' | 'clientId' | 'consumerGroup' | 'instanceId'>>;

export const defaultKafkaBusOptions = {
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 30_000,
  clientRetry: { retries: 10, initialRetryTimeMs: 300, maxRetryTimeMs: 5000 },
  // A member that died (kill -9) holds its partitions until its session expires: 10 s bounds
  // the pause after a crash; heartbeats go every 3 s, also while a handler retries.
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3000,
  maxWaitTimeMs: 500,
  retry: defaultRetryPolicy,
  commitIntervalMs: 1000,
  restartDelayMs: { initial: 500, max: 10_000 },
  reachabilityTimeoutMs: 2000,
  kafkajsSpeedups: false,
  staticMembership: true,
} satisfies Partial<KafkaBusOptions>;

const positive = { type: 'integer', minimum: 1 } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const retryPolicySchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['initialDelayMs', 'maxDelayMs', 'factor', 'jitter'],
  properties: {
    initialDelayMs: { type: 'integer', minimum: 0 },
    maxDelayMs: { type: 'integer', minimum: 0 },
    factor: { type: 'number', minimum: 1 },
    jitter: { type: 'number', minimum: 0, maximum: 1 },
  },
};

export const kafkaBusOptionsSchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['brokers', 'clientId', 'consumerGroup', 'instanceId'],
  properties: {
    brokers: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[^\\s:]+:[0-9]{1,5}$' },
    },
    clientId: name,
    security: {
      type: 'object',
      additionalProperties: false,
      required: ['protocol', 'mechanism', 'username', 'password'],
      properties: {
        protocol: { enum: ['SASL_PLAINTEXT', 'SASL_SSL'] },
        mechanism: { enum: ['SCRAM-SHA-512'] },
        username: { type: 'string', minLength: 1 },
        password: { type: 'string', minLength: 1 },
      },
    },
    consumerGroup: name,
    instanceId: name,
    logger: { type: 'object' },
    metrics: { type: 'object' },
    connectionTimeoutMs: positive,
    requestTimeoutMs: positive,
    clientRetry: {
      type: 'object',
      additionalProperties: false,
      required: ['retries', 'initialRetryTimeMs', 'maxRetryTimeMs'],
      properties: {
        retries: { type: 'integer', minimum: 0 },
        initialRetryTimeMs: positive,
        maxRetryTimeMs: positive,
      },
    },
    sessionTimeoutMs: { type: 'integer', minimum: 6000 },
    heartbeatIntervalMs: positive,
    maxWaitTimeMs: positive,
    retry: retryPolicySchema,
    commitIntervalMs: positive,
    restartDelayMs: {
      type: 'object',
      additionalProperties: false,
      required: ['initial', 'max'],
      properties: { initial: positive, max: positive },
    },
    reachabilityTimeoutMs: positive,
    kafkajsSpeedups: { type: 'boolean' },
    staticMembership: { type: 'boolean' },
  },
};

/** Defaults merged, then validated: the one place bus options are checked. */
export const resolveKafkaBusOptions = optionsValidator<KafkaBusOptions>(
  'kafka bus',
  kafkaBusOptionsSchema,
  defaultKafkaBusOptions,
);

export const subscribeOptionsSchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  // Exactly one of handler and batchHandler: checked by the adapter, with a message saying so.
  required: ['topics', 'mode', 'codec'],
  properties: {
    topics: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
    },
    mode: { enum: ['broadcast', 'shared'] },
    codec: {
      type: 'object',
      required: ['name', 'encode', 'decode'],
      properties: {
        name: { type: 'string' },
        encode: { isFunction: true },
        decode: { isFunction: true },
      },
    },
    handler: { isFunction: true },
    batchHandler: { isFunction: true },
    maxBatchRecords: { type: 'integer', minimum: 1, maximum: 100_000 },
    maxBytesPerPartition: { type: 'integer', minimum: 1024 },
    groupId: name,
    fromBeginning: { type: 'boolean' },
    retry: { type: 'object' },
    partitionsConsumedConcurrently: { type: 'integer', minimum: 1, maximum: 64 },
  },
};
