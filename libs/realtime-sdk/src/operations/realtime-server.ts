import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { RealtimeConfig, WsAuthConfig } from '../config/realtime-config.js';
import type { MessageBus, Subscription } from '../kafka/message-bus.port.js';
import { MqttBus } from '../mqtt/mqtt-bus.client.js';
import { sdkErrors } from '../sdk.errors.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import { bridgeKafkaToHub } from '../ws-hub/kafka-to-hub.bridge.js';
import type { JwtAuthOptions, WsHubPluginInput } from '../ws-hub/ws-hub.options.js';
import { wsHubPlugin } from '../ws-hub/ws-hub.plugin.js';
import { HealthRegistry, kafkaBrokersCheck, kafkaConsumersCheck } from './health.registry.js';
import { operationsPlugin } from './operations.plugin.js';

/** The hub part of a server: topics offered to clients, bridged from Kafka in broadcast mode. */
export type ServerHubOptions = Omit<WsHubPluginInput, 'auth' | 'logger' | 'metrics'> & {
  /** Defaults to the `RTP_WS_*` configuration. */
  readonly auth?: WsHubPluginInput['auth'];
  /** Consume the topics from Kafka into the hub (default true). */
  readonly bridge?: boolean;
};

export interface RealtimeServerOptions {
  readonly config: RealtimeConfig;
  readonly logger: Logger;
  readonly metrics: SdkMetrics;
  readonly bus: MessageBus;
  readonly health?: HealthRegistry;
  /** Serve the WebSocket hub; omit for a service without WebSocket clients. */
  readonly hub?: ServerHubOptions;
  /** Connect to MQTT (the mqtt secret) at start. */
  readonly mqtt?: boolean;
}

/** The `RTP_WS_*` configuration as plugin auth options. */
export function wsAuthFromConfig(auth: WsAuthConfig): JwtAuthOptions | false {
  if (auth.mode === 'disabled') return false;
  const { mode: _mode, ...jwt } = auth;
  return jwt;
}

/** Whether the configuration is `RTP_WS_AUTH=disabled-unsafe`. */
export const wsAuthUnsafe = (auth: WsAuthConfig): boolean =>
  auth.mode === 'disabled' && auth.unsafe;

/**
 * One service process: fastify with the operations routes and (optionally) the WebSocket hub,
 * the message bus, MQTT, and a drain on SIGTERM. Shutdown order (`stop()`): readiness turns 503,
 * the server stops accepting connections, WebSocket clients get 1001 (`preClose`), then
 * (`onClose`) consumers finish the record in hand, commit and leave their groups, the producer
 * and MQTT disconnect.
 */
export class RealtimeServer {
  readonly app: FastifyInstance;
  readonly health: HealthRegistry;
  private mqttBus: MqttBus | undefined;
  private bridge: Subscription | undefined;
  private stopping: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: RealtimeServerOptions) {
    const { config, metrics, bus, hub } = options;
    this.logger = options.logger;
    this.health = options.health ?? new HealthRegistry();
    this.health
      .add('kafka-brokers', kafkaBrokersCheck(bus))
      .add('kafka-consumers', kafkaConsumersCheck(bus));
    this.app = Fastify({
      loggerInstance: options.logger,
      return503OnClosing: true,
    }) as unknown as FastifyInstance;
    this.app.register(operationsPlugin, { health: this.health, metrics });
    if (hub !== undefined) {
      const { bridge: _bridge, auth, ...hubOptions } = hub;
      this.app.register(wsHubPlugin, {
        maxConnections: config.wsLimits.maxConnections,
        maxSubscriptionsPerClient: config.wsLimits.maxSubscriptionsPerClient,
        unsafeAllowUnauthenticatedRemote: wsAuthUnsafe(config.wsAuth),
        ...hubOptions,
        auth: auth ?? wsAuthFromConfig(config.wsAuth),
        logger: options.logger,
        metrics,
      });
    }
    this.app.addHook('onClose', async () => {
      await this.bridge?.stop();
      await bus.close();
      await this.mqttBus?.close();
    });
  }

  /** The MQTT client (after `start()` with `mqtt: true`). */
  get mqtt(): MqttBus {
    if (this.mqttBus === undefined) throw sdkErrors.MQTT_DISABLED(undefined);
    return this.mqttBus;
  }

  /** Connects everything, then listens; resolves with the address. */
  async start(): Promise<string> {
    const { config, bus, hub } = this.options;
    await bus.connect();
    if (this.options.mqtt === true) {
      const connection = config.platform.mqtt;
      if (connection === undefined) throw sdkErrors.MQTT_DISABLED(undefined);
      this.mqttBus = await MqttBus.connect({
        connection,
        clientId:
          `${config.serviceName}-${config.instanceId}-${randomBytes(3).toString('hex')}`.slice(
            0,
            120,
          ),
        logger: this.logger,
        metrics: this.options.metrics,
      });
      const mqtt = this.mqttBus;
      this.health.add('mqtt', () => ({
        ok: mqtt.connected(),
        detail: mqtt.connected() ? 'connected' : 'reconnecting',
      }));
    }
    await this.app.ready();
    if (hub !== undefined && hub.bridge !== false) {
      this.bridge = await bridgeKafkaToHub(bus, this.app.realtimeHub, { topics: hub.topics });
    }
    return this.app.listen({ host: config.http.host, port: config.http.port });
  }

  /** Drains and closes (idempotent). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.health.startDraining();
      await this.app.close();
    })();
    return this.stopping;
  }

  /**
   * On SIGTERM/SIGINT: `stop()`, then let the process end; if draining takes longer than
   * `RTP_SHUTDOWN_TIMEOUT_MS`, exit with 1. Returns a function that removes the handlers.
   */
  installSignalHandlers(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => void {
    const onSignal = (signal: NodeJS.Signals): void => {
      this.logger.info({ signal }, 'draining');
      const timer = setTimeout(() => {
        this.logger.error({ timeoutMs: this.options.config.shutdownTimeoutMs }, 'drain timed out');
        process.exit(1);
      }, this.options.config.shutdownTimeoutMs);
      timer.unref();
      this.stop().then(
        () => {
          clearTimeout(timer);
          this.logger.info('drained');
        },
        (error: unknown) => {
          this.logger.error({ err: error }, 'drain failed');
          process.exitCode = 1;
        },
      );
    };
    for (const signal of signals) process.once(signal, onSignal);
    return () => {
      for (const signal of signals) process.removeListener(signal, onSignal);
    };
  }
}
