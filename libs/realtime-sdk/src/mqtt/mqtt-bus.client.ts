import { connect, type ErrorWithReasonCode, type IClientOptions, type MqttClient } from 'mqtt';
import { sdkErrors } from '../sdk.errors.js';
import { silentLogger, type Logger } from '../telemetry/sdk.logger.js';
import {
  resolveMqttBusOptions,
  type MqttBusInput,
  type MqttBusOptions,
  type MqttQos,
} from './mqtt.options.js';
import { mqttTopicMatches } from './mqtt-topic.matcher.js';

export interface MqttMessage<T> {
  readonly topic: string;
  readonly payload: T;
  readonly retain: boolean;
}

export type MqttHandler<T> = (message: MqttMessage<T>) => unknown;

interface Route {
  readonly filter: string;
  readonly handler: MqttHandler<unknown>;
}

/** CONNACK codes that mean "your credentials": 3.1.1 (4, 5) and 5.0 (134, 135). */
const notAuthorizedCodes = new Set([4, 5, 134, 135]);

/**
 * mqtt.js v5 with the SDK's rules: authenticated connect from the contract's mqtt secret, QoS 1 by
 * default (publish resolves on PUBACK), automatic reconnect with resubscription, QoS 0 messages
 * never queued while offline (`queueQoSZero: false`: stale readings are worse than none), JSON
 * payloads parsed once per message for all matching handlers.
 */
export class MqttBus {
  private readonly routes = new Set<Route>();
  private readonly logger: Logger;

  private constructor(
    private readonly client: MqttClient,
    readonly options: MqttBusOptions,
  ) {
    this.logger = (options.logger ?? silentLogger).child({ component: 'mqtt' });
    client.on('message', (topic, payload, packet) => this.dispatch(topic, payload, packet.retain));
    client.on('reconnect', () => this.logger.info('reconnecting'));
    client.on('offline', () => this.logger.warn('offline'));
    client.on('connect', () => this.logger.info('connected'));
    client.on('error', (error) => this.logger.error({ err: error }, 'mqtt error'));
  }

  /** Connects and waits for the first CONNACK; mqtt.js reconnects on its own after that. */
  static async connect(input: MqttBusInput): Promise<MqttBus> {
    const options = resolveMqttBusOptions(input);
    const { url, username, password } = options.connection;
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      username,
      password,
      protocolVersion: options.protocolVersion,
      reconnectPeriod: options.reconnectPeriodMs,
      connectTimeout: options.connectTimeoutMs,
      keepalive: options.keepaliveSeconds,
      clean: true,
      resubscribe: true,
      queueQoSZero: false,
    };
    const client = connect(url, clientOptions);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no CONNACK within ${options.firstConnectTimeoutMs} ms`)),
          options.firstConnectTimeoutMs,
        );
        client.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
        client.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    } catch (error) {
      await client.endAsync(true).catch(() => undefined);
      const code = (error as ErrorWithReasonCode).code;
      if (typeof code === 'number' && notAuthorizedCodes.has(code)) {
        throw sdkErrors.MQTT_NOT_AUTHORIZED({ url, username }, { cause: error });
      }
      throw sdkErrors.MQTT_CONNECT_FAILED(
        { url, reason: (error as Error).message },
        { cause: error },
      );
    }
    return new MqttBus(client, options);
  }

  connected(): boolean {
    return this.client.connected;
  }

  /** Publishes `payload` as JSON; with QoS 1 it resolves once the broker acknowledged it. */
  async publish<T>(
    topic: string,
    payload: T,
    options: { qos?: MqttQos; retain?: boolean } = {},
  ): Promise<void> {
    try {
      await this.client.publishAsync(topic, JSON.stringify(payload), {
        qos: options.qos ?? this.options.qos,
        retain: options.retain ?? false,
      });
    } catch (cause) {
      throw sdkErrors.MQTT_PUBLISH_FAILED({ topic, reason: (cause as Error).message }, { cause });
    }
    this.options.metrics?.mqttMessagesPublished.inc({ topic });
  }

  /**
   * Subscribes `handler` to a topic filter; resolves after SUBACK with a function that
   * unsubscribes. Payloads that are not JSON are logged and counted, never delivered.
   */
  async subscribe<T>(
    filter: string,
    handler: MqttHandler<T>,
    options: { qos?: MqttQos } = {},
  ): Promise<() => Promise<void>> {
    const route: Route = { filter, handler: handler as MqttHandler<unknown> };
    this.routes.add(route);
    try {
      await this.client.subscribeAsync(filter, { qos: options.qos ?? this.options.qos });
    } catch (error) {
      this.routes.delete(route);
      throw error;
    }
    return async () => {
      this.routes.delete(route);
      if (![...this.routes].some((other) => other.filter === filter)) {
        await this.client.unsubscribeAsync(filter);
      }
    };
  }

  private dispatch(topic: string, payload: Buffer, retain: boolean): void {
    const routes = [...this.routes].filter((route) => mqttTopicMatches(route.filter, topic));
    if (routes.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch (cause) {
      this.options.metrics?.mqttPayloadErrors.inc();
      this.logger.warn(
        { err: sdkErrors.MQTT_PAYLOAD_INVALID({ topic, reason: (cause as Error).message }) },
        'dropped a message',
      );
      return;
    }
    for (const route of routes) {
      this.options.metrics?.mqttMessagesReceived.inc({ filter: route.filter });
      Promise.resolve()
        .then(() => route.handler({ topic, payload: value, retain }))
        .catch((error: unknown) => this.logger.error({ err: error, topic }, 'mqtt handler failed'));
    }
  }

  async close(): Promise<void> {
    this.routes.clear();
    await this.client.endAsync();
  }
}
