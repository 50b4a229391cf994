import type { MqttConnection } from '@realtime-platform/platform-contract';
import { optionsValidator, type OptionsSchema } from '../options/options.validator.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';

export type MqttQos = 0 | 1 | 2;

export interface MqttBusOptions {
  /** The mqtt secret, typed by the contract (`config.platform.mqtt`): URL, user, password. */
  readonly connection: Pick<MqttConnection, 'url' | 'username' | 'password'>;
  /** Unique per process: the broker drops an older session with the same id. */
  readonly clientId: string;
  /** Default QoS of publish and subscribe. */
  readonly qos: MqttQos;
  readonly reconnectPeriodMs: number;
  readonly connectTimeoutMs: number;
  /** How long `connect()` waits for the first CONNACK before failing (retriable). */
  readonly firstConnectTimeoutMs: number;
  readonly keepaliveSeconds: number;
  /** MQTT protocol version: 4 (3.1.1) or 5. */
  readonly protocolVersion: 4 | 5;
  readonly logger?: Logger;
  readonly metrics?: SdkMetrics;
}

export type MqttBusInput = Pick<MqttBusOptions, 'connection' | 'clientId'> &
  Partial<Omit<MqttBusOptions, 'connection' | 'clientId'>>;

export const defaultMqttBusOptions = {
  qos: 1,
  reconnectPeriodMs: 1000,
  connectTimeoutMs: 10_000,
  firstConnectTimeoutMs: 30_000,
  keepaliveSeconds: 30,
  protocolVersion: 5,
} satisfies Partial<MqttBusOptions>;

export const mqttBusOptionsSchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['connection', 'clientId', 'qos'],
  properties: {
    connection: {
      type: 'object',
      required: ['url', 'username', 'password'],
      properties: {
        url: { type: 'string', pattern: '^(mqtts?|wss?)://' },
        username: { type: 'string', minLength: 1 },
        password: { type: 'string', minLength: 1 },
      },
    },
    clientId: { type: 'string', minLength: 1, maxLength: 128 },
    qos: { enum: [0, 1, 2] },
    reconnectPeriodMs: { type: 'integer', minimum: 1 },
    connectTimeoutMs: { type: 'integer', minimum: 1 },
    firstConnectTimeoutMs: { type: 'integer', minimum: 1 },
    keepaliveSeconds: { type: 'integer', minimum: 0 },
    protocolVersion: { enum: [4, 5] },
    logger: { type: 'object' },
    metrics: { type: 'object' },
  },
};

export const resolveMqttBusOptions = optionsValidator<MqttBusOptions>(
  'mqtt',
  mqttBusOptionsSchema,
  defaultMqttBusOptions,
);
