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
  httpHost: 'RTP_HTTP_HOST',
  httpPort: 'RTP_HTTP_PORT',
  wsAuth: 'RTP_WS_AUTH',
  wsJwtSecret: 'RTP_WS_JWT_SECRET',
  wsJwksUrl: 'RTP_WS_JWKS_URL',
  wsJwtIssuer: 'RTP_WS_JWT_ISSUER',
  wsJwtAudience: 'RTP_WS_JWT_AUDIENCE',
  shutdownTimeoutMs: 'RTP_SHUTDOWN_TIMEOUT_MS',
  wsPath: 'RTP_WS_PATH',
  topics: 'RTP_TOPICS',
  consumerMode: 'RTP_CONSUMER_MODE',
  alertsTopic: 'RTP_ALERTS_TOPIC',
  mqttTopic: 'RTP_MQTT_TOPIC',
  mqttSharedGroup: 'RTP_MQTT_SHARED_GROUP',
  outputTopic: 'RTP_OUTPUT_TOPIC',
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
      '`jwt` (default) or `disabled`; disabled must be written out, never inferred from a missing secret',
  },
  {
    name: runtimeEnv.wsJwtSecret,
    readBy: 'sdk',
    setBy: ['user'],
    description:
      'HS256 shared secret (at least 32 bytes); this or `RTP_WS_JWKS_URL` when auth is `jwt`',
  },
  {
    name: runtimeEnv.wsJwksUrl,
    readBy: 'sdk',
    setBy: ['user'],
    description: 'JWKS URL of the identity provider (RS256/ES256 keys, fetched and cached)',
  },
  {
    name: runtimeEnv.wsJwtIssuer,
    readBy: 'sdk',
    setBy: ['user'],
    description: 'required `iss` claim, when set',
  },
  {
    name: runtimeEnv.wsJwtAudience,
    readBy: 'sdk',
    setBy: ['user'],
    description: 'required `aud` claim, when set',
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
    setBy: ['chart'],
    description: 'MQTT topic the mqtt-bridge subscribes to',
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
