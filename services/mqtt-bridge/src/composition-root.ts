import {
  messageBusFromConfig,
  RealtimeServer,
  SdkMetrics,
  createLogger,
  loadRealtimeConfig,
  sdkErrors,
  type Logger,
  type RealtimeConfig,
} from '@realtime-platform/realtime-sdk';
import {
  ReadingForwarder,
  type ReadingForwarderOptions,
} from './application/reading-forwarder.use-case.js';
import { defaultReadingRoutePolicy } from './domain/reading-route.policy.js';
import { loadBridgeSettings, type BridgeSettings } from './infrastructure/config/service-config.js';
import { KafkaReadingSink } from './infrastructure/kafka-reading.sink.js';
import {
  MqttReadingSource,
  type MqttReadingSourceOptions,
} from './infrastructure/mqtt-reading.source.js';
import { PrometheusBridgeMetrics } from './infrastructure/prometheus-bridge.metrics.js';

export interface MqttBridgeOptions {
  /** Defaults to `process.env`: the five platform secrets plus the `RTP_*` variables. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Batching and retry (defaults: `defaultReadingForwarderOptions`). */
  readonly forwarder?: Partial<ReadingForwarderOptions>;
  /** MQTT client settings beyond the env (timeouts, protocol). */
  readonly mqtt?: Partial<
    Omit<MqttReadingSourceOptions, 'connection' | 'clientId' | 'filters' | 'logger'>
  >;
}

/**
 * The composition root of the bridge: configuration (the SDK's `loadRealtimeConfig` for the five
 * secrets, `loadBridgeSettings` for its own variables), the MQTT source, the Kafka sink on the
 * SDK's MessageBus, the forwarder, and the SDK's RealtimeServer for `/health/*` and `/metrics`.
 */
export class MqttBridge {
  readonly config: RealtimeConfig;
  readonly settings: BridgeSettings;
  readonly logger: Logger;
  readonly metrics: SdkMetrics;
  readonly server: RealtimeServer;
  readonly source: MqttReadingSource;
  readonly forwarder: ReadingForwarder;

  constructor(options: MqttBridgeOptions = {}) {
    const env = options.env ?? process.env;
    this.config = loadRealtimeConfig({ env, websocket: false });
    this.settings = loadBridgeSettings(env);
    const { config, settings } = this;
    const mqtt = config.platform.mqtt;
    if (mqtt === undefined) throw sdkErrors.MQTT_DISABLED(undefined);
    this.logger =
      options.logger ?? createLogger({ level: config.logLevel, name: config.serviceName });
    this.metrics = new SdkMetrics({ defaultLabels: { service: config.serviceName } });
    const bus = messageBusFromConfig(config, { logger: this.logger, metrics: this.metrics });
    this.server = new RealtimeServer({
      config,
      logger: this.logger,
      metrics: this.metrics,
      bus,
    });
    this.source = new MqttReadingSource({
      ...options.mqtt,
      connection: mqtt,
      // Stable per replica (RTP_INSTANCE_ID, else the pod name): the broker keeps the session,
      // with what it sent and we did not acknowledge, under this id.
      clientId: `${config.serviceName}-${config.instanceId}`.slice(0, 128),
      filters: settings.subscriptions,
      sessionExpirySeconds: settings.sessionExpirySeconds,
      receiveMaximum: settings.receiveMaximum,
      logger: this.logger,
    });
    this.forwarder = new ReadingForwarder({
      source: this.source,
      sink: new KafkaReadingSink(bus, {
        outputTopic: settings.outputTopic,
        deadLetterTopic: settings.deadLetterTopic,
        origin: config.serviceName,
      }),
      metrics: new PrometheusBridgeMetrics(this.metrics.registry),
      logger: this.logger.child({ component: 'forwarder' }),
      options: {
        policy: {
          ...defaultReadingRoutePolicy,
          maxFutureSkewMs: settings.maxFutureSkewMs,
          deviceTopicPrefix: settings.deviceTopicPrefix,
        },
        maxQueuedQos0: settings.qos0QueueLimit,
        ...options.forwarder,
      },
    });
    const { source, forwarder } = this;
    this.server.health
      .add('mqtt', () => ({
        ok: source.connected(),
        detail: source.connected()
          ? `subscribed to ${settings.subscriptions.join(', ')}`
          : 'reconnecting',
      }))
      .add('kafka-writes', () => forwarder.health());
    // Before the server and the Kafka producer close (onClose): stop taking readings, write and
    // acknowledge what was taken, disconnect from MQTT keeping the session.
    const drainMs = Math.max(1000, Math.floor(config.shutdownTimeoutMs * 0.6));
    this.server.app.addHook('preClose', async () => {
      await forwarder.stop(drainMs);
    });
  }

  /** Kafka, the HTTP server, then the MQTT subscription; resolves with the HTTP address. */
  async start(): Promise<string> {
    const address = await this.server.start();
    await this.forwarder.start();
    this.logger.info(
      {
        subscriptions: this.settings.subscriptions,
        outputTopic: this.settings.outputTopic,
        deadLetterTopic: this.settings.deadLetterTopic,
        clientId: this.source.options.clientId,
      },
      'mqtt-bridge started',
    );
    return address;
  }

  /** Drains (see the preClose hook) and closes everything. */
  stop(): Promise<void> {
    return this.server.stop();
  }
}
