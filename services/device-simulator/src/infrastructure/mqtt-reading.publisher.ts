import { randomBytes } from 'node:crypto';
import { connect, type ErrorWithReasonCode, type MqttClient } from 'mqtt';
import type { Logger } from '@realtime-platform/realtime-sdk';
import type {
  OutgoingPayload,
  ReadingPublisher,
} from '../application/ports/reading-publisher.port.js';
import { simulatorErrors } from '../simulator.errors.js';

export interface MqttReadingPublisherOptions {
  /** The mqtt secret (`config.platform.mqtt`) or any broker: URL, user, password. */
  readonly connection: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
  };
  readonly topic: string;
  readonly qos: 0 | 1;
  readonly connections: number;
  readonly maxInFlightPerConnection: number;
  readonly clientIdPrefix: string;
  readonly protocolVersion: 4 | 5;
  readonly connectTimeoutMs?: number;
  readonly logger?: Logger;
}

/** CONNACK codes meaning "your credentials": 3.1.1 (4, 5) and 5.0 (134, 135). */
const notAuthorizedCodes = new Set([4, 5, 134, 135]);

/**
 * mqtt.js clients (one per connection) that publish as devices do: clean sessions, QoS 1 by
 * default, automatic reconnect (QoS 1 messages in flight are resent by mqtt.js; QoS 0 are never
 * queued while offline). The in-flight count is ours: mqtt.js would queue without bound.
 */
export class MqttReadingPublisher implements ReadingPublisher {
  readonly capacity: number;
  readonly lanes: number;
  private pending = 0;

  private constructor(
    private readonly clients: readonly MqttClient[],
    private readonly options: MqttReadingPublisherOptions,
  ) {
    this.lanes = clients.length;
    this.capacity = options.maxInFlightPerConnection * clients.length;
  }

  /** Connects every client; fails (coded) if any of them cannot. */
  static async connect(options: MqttReadingPublisherOptions): Promise<MqttReadingPublisher> {
    const run = randomBytes(3).toString('hex');
    const clients: MqttClient[] = [];
    const logger = options.logger?.child({ component: 'mqtt-publisher' });
    try {
      for (let lane = 0; lane < options.connections; lane += 1) {
        const client = connect(options.connection.url, {
          clientId: `${options.clientIdPrefix}-${run}-${lane}`,
          username: options.connection.username,
          password: options.connection.password,
          protocolVersion: options.protocolVersion,
          clean: true,
          reconnectPeriod: 1000,
          connectTimeout: options.connectTimeoutMs ?? 10_000,
          queueQoSZero: false,
          keepalive: 30,
          // mqtt.js logs every packet through `debug`; even disabled, that costs ~5 % of the CPU.
          log: () => undefined,
        });
        clients.push(client);
        client.on('error', (error) => logger?.warn({ err: error, lane }, 'mqtt error'));
        client.on('offline', () => logger?.warn({ lane }, 'mqtt offline'));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('no CONNACK in time')),
            options.connectTimeoutMs ?? 10_000,
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
      }
    } catch (error) {
      await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
      const code = (error as ErrorWithReasonCode).code;
      const { url, username } = options.connection;
      if (typeof code === 'number' && notAuthorizedCodes.has(code)) {
        throw simulatorErrors.MQTT_NOT_AUTHORIZED({ url, username }, { cause: error });
      }
      throw simulatorErrors.MQTT_CONNECT_FAILED(
        { url, reason: (error as Error).message },
        { cause: error },
      );
    }
    return new MqttReadingPublisher(clients, options);
  }

  publish(message: OutgoingPayload, done: (error?: Error) => void): void {
    const client = this.clients[message.lane % this.clients.length] as MqttClient;
    this.pending += 1;
    client.publish(this.options.topic, message.payload, { qos: this.options.qos }, (error) => {
      this.pending -= 1;
      done(error ?? undefined);
    });
  }

  inFlight(): number {
    return this.pending;
  }

  connected(): boolean {
    return this.clients.every((client) => client.connected);
  }

  /**
   * Disconnects. Without `force`, mqtt.js first waits for what is in flight; with it (the broker
   * is gone and a grace period has passed), it drops them.
   */
  async close(force = false): Promise<void> {
    await Promise.all(this.clients.map((client) => client.endAsync(force)));
  }
}
