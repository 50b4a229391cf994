import { alertsTopic, deviceDataTopic, deviceMqttTopic } from '../topics/topic.catalog.js';

/** Who reads a runtime variable: the SDK's `loadRealtimeConfig`, or the service's own code. */
export type RuntimeEnvReader = 'sdk' | 'service';

/**
 * Who sets it: `user` (whoever deploys the service), the KubeVela `realtime` integration (`trait`:
 * the trait and the realtime components), the `realtime-service` component (template service
 * only), or the realtime-platform `chart` (its builtin mqtt-bridge and stream-processor).
 */
export type RuntimeEnvSetter = 'user' | 'trait' | 'realtime-service' | 'chart';

export interface RuntimeEnvVariable {
  readonly name: string;
  readonly description: string;
  /** The default as written in the env; absent when the variable is required or optional. */
  readonly default?: string;
  readonly required?: boolean;
  readonly readBy: RuntimeEnvReader;
  readonly setBy: readonly RuntimeEnvSetter[];
}

/**
 * The name of every runtime (non-secret) environment variable of a platform service. All start
 * with `RTP_`, a prefix no platform secret uses, so `envFrom` of the five secrets can never
 * overwrite one (a test checks it). Use these constants, never the literals.
 */
export const runtimeEnv = {
  serviceName: 'RTP_SERVICE_NAME',
  platformName: 'RTP_PLATFORM_NAME',
  consumerGroup: 'RTP_CONSUMER_GROUP',
  instanceId: 'RTP_INSTANCE_ID',
  secretsDir: 'RTP_SECRETS_DIR',
  logLevel: 'RTP_LOG_LEVEL',
  kafkaClient: 'RTP_KAFKA_CLIENT',
  httpHost: 'RTP_HTTP_HOST',
  httpPort: 'RTP_HTTP_PORT',
  wsAuth: 'RTP_WS_AUTH',
  wsJwtSecret: 'RTP_WS_JWT_SECRET',
  wsJwksUrl: 'RTP_WS_JWKS_URL',
  wsJwtIssuer: 'RTP_WS_JWT_ISSUER',
  wsJwtAudience: 'RTP_WS_JWT_AUDIENCE',
  wsJwtMaxLifetimeSeconds: 'RTP_WS_JWT_MAX_LIFETIME_SECONDS',
  wsMaxConnections: 'RTP_WS_MAX_CONNECTIONS',
  wsMaxSubscriptions: 'RTP_WS_MAX_SUBSCRIPTIONS',
  shutdownTimeoutMs: 'RTP_SHUTDOWN_TIMEOUT_MS',
  wsPath: 'RTP_WS_PATH',
  topics: 'RTP_TOPICS',
  consumerMode: 'RTP_CONSUMER_MODE',
  alertsTopic: 'RTP_ALERTS_TOPIC',
  mqttTopic: 'RTP_MQTT_TOPIC',
  mqttSharedGroup: 'RTP_MQTT_SHARED_GROUP',
  outputTopic: 'RTP_OUTPUT_TOPIC',
  alertRules: 'RTP_ALERT_RULES',
  valueFormat: 'RTP_VALUE_FORMAT',
  readingMaxFutureSkewMs: 'RTP_READING_MAX_FUTURE_SKEW_MS',
  mqttSessionExpirySeconds: 'RTP_MQTT_SESSION_EXPIRY_SECONDS',
  mqttReceiveMaximum: 'RTP_MQTT_RECEIVE_MAXIMUM',
  mqttQos0QueueLimit: 'RTP_MQTT_QOS0_QUEUE_LIMIT',
  simDevices: 'RTP_SIM_DEVICES',
  simRate: 'RTP_SIM_RATE',
  simSeed: 'RTP_SIM_SEED',
  simMalformedRatio: 'RTP_SIM_MALFORMED_RATIO',
  simHeartRateSpikeRatio: 'RTP_SIM_HEART_RATE_SPIKE_RATIO',
  simQos: 'RTP_SIM_QOS',
  simConnections: 'RTP_SIM_CONNECTIONS',
} as const;

/** The prefix of every runtime variable. */
export const runtimeEnvPrefix = 'RTP_';

/**
 * The runtime variables: what they mean, their defaults, who reads and who sets them. The SDK
 * parses the `readBy: 'sdk'` ones; services read the others. The README table is generated from it.
 */
export const runtimeEnvCatalog = [
  {
    name: runtimeEnv.serviceName,
    required: true,
    readBy: 'sdk',
    setBy: ['user', 'chart'],
    description:
      'name of the service: Kafka client id, base of consumer group ids, log and metric name',
  },
  {
    name: runtimeEnv.platformName,
    readBy: 'sdk',
    setBy: ['user', 'trait', 'chart'],
    description:
      'platform `{name}`: names secrets in errors and picks `<dir>/{name}-*-secret` when several platforms are mounted',
  },
  {
    name: runtimeEnv.consumerGroup,
    default: '$RTP_SERVICE_NAME',
    readBy: 'sdk',
    setBy: ['user', 'trait', 'chart'],
    description: 'group id of shared consumers and base of broadcast group ids',
  },
  {
    name: runtimeEnv.instanceId,
    default: '$HOSTNAME',
    readBy: 'sdk',
    setBy: ['trait'],
    description:
      'this replica (the pod name): part of broadcast group ids, so every replica gets every record',
  },
  {
    name: runtimeEnv.secretsDir,
    default: '/var/run/secrets/realtime-platform',
    readBy: 'sdk',
    setBy: ['user'],
    description:
      'mounted secrets: `<dir>/<secret-name>/<KEY>` (one directory per secret, one file per key); ignored when absent',
  },
  {
    name: runtimeEnv.logLevel,
    default: 'info',
    readBy: 'sdk',
    setBy: ['user'],
    description: 'pino level: fatal, error, warn, info, debug, trace or silent',
  },
  {
    name: runtimeEnv.kafkaClient,
    default: 'platformatic',
    readBy: 'sdk',
    setBy: ['user'],
    description:
      'the MessageBus adapter: `platformatic` (@platformatic/kafka), `kafkajs`, or `kafkajs-speedups` (kafkajs with its producer internals replaced, process-wide)',
  },
  {
    name: runtimeEnv.httpHost,
    default: '0.0.0.0',
    readBy: 'sdk',
    setBy: ['user'],
    description: 'address the HTTP/WebSocket server binds',
  },
  {
    name: runtimeEnv.httpPort,
    default: '8080',
    readBy: 'sdk',
    setBy: ['user', 'realtime-service', 'chart'],
    description:
      'port of the HTTP/WebSocket server; it also serves `/health/*` and `/metrics` (one port)',
  },
  {
    name: runtimeEnv.wsAuth,
    default: 'jwt',
    readBy: 'sdk',
    setBy: ['user'],
    description:
      '`jwt` (default), `disabled` (only when `RTP_HTTP_HOST` is loopback) or `disabled-unsafe` (no authentication on any address, with a startup warning); never inferred from a missing secret',
  },
  {
    name: runtimeEnv.wsJwtSecret,
    readBy: 'sdk',
    setBy: ['user', 'realtime-service'],
    description:
      'HS256 shared secret (at least 32 bytes); this or `RTP_WS_JWKS_URL` when auth is `jwt`',
  },
  {
    name: runtimeEnv.wsJwksUrl,
    readBy: 'sdk',
    setBy: ['user', 'realtime-service'],
    description:
      'JWKS URL of the identity provider (RS256/ES256 keys, fetched and cached); https, http only on loopback',
  },
  {
    name: runtimeEnv.wsJwtIssuer,
    readBy: 'sdk',
    setBy: ['user', 'realtime-service'],
    description:
      'required `iss` claim; must be set when `RTP_HTTP_HOST` is not loopback (with `jwt` auth)',
  },
  {
    name: runtimeEnv.wsJwtAudience,
    readBy: 'sdk',
    setBy: ['user', 'realtime-service'],
    description:
      'required `aud` claim; must be set when `RTP_HTTP_HOST` is not loopback (with `jwt` auth)',
  },
  {
    name: runtimeEnv.wsJwtMaxLifetimeSeconds,
    default: '43200',
    readBy: 'sdk',
    setBy: ['user'],
    description:
      'longest validity a token may have (`exp` - `iat`, and `exp` - now); tokens without `exp` are always refused',
  },
  {
    name: runtimeEnv.wsMaxConnections,
    default: '10000',
    readBy: 'sdk',
    setBy: ['user'],
    description: 'WebSocket clients one replica holds at most; more get HTTP 503',
  },
  {
    name: runtimeEnv.wsMaxSubscriptions,
    default: '256',
    readBy: 'sdk',
    setBy: ['user'],
    description:
      'subscriptions one WebSocket client may hold (a device-scoped dashboard needs one per device and topic)',
  },
  {
    name: runtimeEnv.shutdownTimeoutMs,
    default: '10000',
    readBy: 'sdk',
    setBy: ['user'],
    description: 'how long SIGTERM may drain before the process exits anyway',
  },
  {
    name: runtimeEnv.wsPath,
    default: '/ws',
    readBy: 'service',
    setBy: ['realtime-service'],
    description: 'path of the WebSocket endpoint (the hub option `path`)',
  },
  {
    name: runtimeEnv.topics,
    readBy: 'service',
    setBy: ['trait', 'chart'],
    description:
      'comma-separated topics to consume (the trait defaults to the four vital-sign topics)',
  },
  {
    name: runtimeEnv.consumerMode,
    readBy: 'service',
    setBy: ['trait', 'chart'],
    description:
      '`broadcast` (every replica gets every record: WebSocket gateways) or `shared` (replicas split the records)',
  },
  {
    name: runtimeEnv.alertsTopic,
    default: alertsTopic,
    readBy: 'service',
    setBy: ['trait'],
    description: 'topic of the alerts',
  },
  {
    name: runtimeEnv.mqttTopic,
    default: deviceMqttTopic,
    readBy: 'service',
    setBy: ['user', 'chart'],
    description:
      'MQTT topic of the device readings: the mqtt-bridge subscribes to it, the device-simulator publishes to it',
  },
  {
    name: runtimeEnv.mqttSharedGroup,
    readBy: 'service',
    setBy: ['chart'],
    description:
      'MQTT shared subscription group of the mqtt-bridge (`$share/<group>/<topic>`): replicas split the readings',
  },
  {
    name: runtimeEnv.outputTopic,
    default: deviceDataTopic,
    readBy: 'service',
    setBy: ['chart'],
    description: 'Kafka topic the mqtt-bridge writes the readings to',
  },
  {
    name: runtimeEnv.alertRules,
    readBy: 'service',
    setBy: ['user'],
    description:
      'alert rules of the realtime template service, a JSON array of `{"id","metric","min"?,"max"?,"severity"?}` (metric: heartRate, systolic, diastolic, oxygenSaturation or temperature); replaces the default rules, `[]` turns alerting off',
  },
  {
    name: runtimeEnv.valueFormat,
    default: 'avro',
    readBy: 'service',
    setBy: ['user'],
    description:
      'value format the stream-processor writes to the four vital topics: `avro` (Confluent wire format, schemas registered as `<topic>-value` with BACKWARD compatibility) or `json`',
  },
  {
    name: runtimeEnv.readingMaxFutureSkewMs,
    default: '300000',
    readBy: 'service',
    setBy: ['user'],
    description:
      'how far ahead of the receiver clock a reading timestamp may be (ms): the mqtt-bridge and the stream-processor dead-letter later ones with `RTP_ERR_HEALTH_TIMESTAMP_IN_FUTURE`',
  },
  {
    name: runtimeEnv.mqttSessionExpirySeconds,
    default: '3600',
    readBy: 'service',
    setBy: ['user'],
    description:
      'MQTT 5 session expiry of the mqtt-bridge: how long the broker keeps its persistent session (subscription, unacknowledged and queued readings) while the replica is away',
  },
  {
    name: runtimeEnv.mqttReceiveMaximum,
    default: '10000',
    readBy: 'service',
    setBy: ['user'],
    description:
      'MQTT 5 receive maximum of the mqtt-bridge: readings the broker may have in flight to one replica before Kafka acknowledged them',
  },
  {
    name: runtimeEnv.mqttQos0QueueLimit,
    default: '10000',
    readBy: 'service',
    setBy: ['user'],
    description:
      'mqtt-bridge: QoS 0 readings it holds while Kafka writes are pending; beyond it the oldest are dropped and counted (QoS 0 is at-most-once: the broker neither holds them back nor redelivers them)',
  },
  {
    name: runtimeEnv.simDevices,
    default: '10',
    readBy: 'service',
    setBy: ['user'],
    description: 'device-simulator: number of simulated devices',
  },
  {
    name: runtimeEnv.simRate,
    default: '50',
    readBy: 'service',
    setBy: ['user'],
    description: 'device-simulator: readings per second, all devices together',
  },
  {
    name: runtimeEnv.simSeed,
    default: '1',
    readBy: 'service',
    setBy: ['user'],
    description: 'device-simulator: seed of the value model (same seed, same readings)',
  },
  {
    name: runtimeEnv.simMalformedRatio,
    default: '0',
    readBy: 'service',
    setBy: ['user'],
    description:
      'device-simulator: share of readings (0 to 1) sent malformed (bad JSON, a missing field or an implausible value) to exercise the DLQ',
  },
  {
    name: runtimeEnv.simHeartRateSpikeRatio,
    default: '0.001',
    readBy: 'service',
    setBy: ['user'],
    description:
      'device-simulator: chance per reading (0 to 1) that a device starts a heart-rate spike (130 to 190 bpm for a few readings: abnormal but valid, for alert rules)',
  },
  {
    name: runtimeEnv.simQos,
    default: '1',
    readBy: 'service',
    setBy: ['user'],
    description: 'device-simulator: MQTT QoS of the readings (0 or 1)',
  },
  {
    name: runtimeEnv.simConnections,
    default: '1',
    readBy: 'service',
    setBy: ['user'],
    description: 'device-simulator: MQTT connections the simulated devices share',
  },
] as const satisfies readonly RuntimeEnvVariable[];

type CatalogEntry = (typeof runtimeEnvCatalog)[number];

/** Every runtime variable name, as a union of string literals. */
export type RuntimeEnvName = CatalogEntry['name'];
/** The names the SDK's `loadRealtimeConfig` reads. */
export type SdkRuntimeEnvName = Extract<CatalogEntry, { readBy: 'sdk' }>['name'];

/** The names `setter` sets, in catalog order. */
export function runtimeEnvSetBy(setter: RuntimeEnvSetter): readonly RuntimeEnvName[] {
  return runtimeEnvCatalog
    .filter((variable) => (variable.setBy as readonly RuntimeEnvSetter[]).includes(setter))
    .map((variable) => variable.name);
}

/** The default the catalog states for `name` (what a reader uses when it is unset), if any. */
export function runtimeEnvDefault(name: RuntimeEnvName): string | undefined {
  const variable = runtimeEnvCatalog.find((entry) => entry.name === name) as
    RuntimeEnvVariable | undefined;
  return variable?.default;
}
