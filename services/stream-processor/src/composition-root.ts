// The stream-processor's composition root: the one place that knows the concrete adapters. It
// reads the configuration (the SDK's `loadRealtimeConfig` for the five secrets, `readProcessorSettings`
// for its own variables) and wires the SDK's server and message bus, the Schema Registry codecs,
// the use case and the device_data subscriber; `main.ts` only starts it.
import {
  messageBusFromConfig,
  RealtimeServer,
  SchemaRegistryClient,
  SdkMetrics,
  createLogger,
  loadRealtimeConfig,
  schemaRegistryLogin,
  type Logger,
  type MessageBus,
  type RealtimeConfig,
} from '@realtime-platform/realtime-sdk';
import { SplitReadingsUseCase } from './application/split-readings.use-case.js';
import {
  readProcessorSettings,
  type ProcessorSettings,
} from './infrastructure/config/service-config.js';
import { DeviceDataSubscriber } from './infrastructure/device-data.subscriber.js';
import { PrometheusProcessorMetrics } from './infrastructure/prometheus-processor.metrics.js';
import { setUpVitalSubjects } from './infrastructure/vital-subjects.registrar.js';
import { vitalValueCodecs } from './infrastructure/vital-value.codecs.js';

export interface StreamProcessorOptions {
  /** Defaults to `process.env`: the five platform secrets plus the `RTP_*` variables. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The stream processor: configuration is loaded and validated on construction (a bad value fails
 * there, before anything connects); `start` opens the HTTP port, sets up the vital subjects and
 * subscribes to the input topics.
 */
export class StreamProcessor {
  readonly config: RealtimeConfig;
  readonly settings: ProcessorSettings;
  readonly logger: Logger;
  readonly metrics: SdkMetrics;
  readonly bus: MessageBus;
  readonly server: RealtimeServer;
  // Not ready until the subjects are set up and the consumer is subscribed.
  private subscribed = false;

  constructor(options: StreamProcessorOptions = {}) {
    const env = options.env ?? process.env;
    this.config = loadRealtimeConfig({ env, websocket: false });
    this.settings = readProcessorSettings(env);
    const { config, settings } = this;
    this.logger = createLogger({ name: config.serviceName, level: config.logLevel });
    this.metrics = new SdkMetrics({ defaultLabels: { service: config.serviceName } });
    this.bus = messageBusFromConfig(config, { logger: this.logger, metrics: this.metrics });
    this.server = new RealtimeServer({
      config,
      logger: this.logger,
      metrics: this.metrics,
      bus: this.bus,
    });
    this.server.health.add('stream-processor', () => ({
      ok: this.subscribed,
      detail: this.subscribed ? `splitting ${settings.topics.join(',')}` : 'starting',
    }));
  }

  /** SIGTERM/SIGINT drain through the SDK's server (see `RealtimeServer.installSignalHandlers`). */
  installSignalHandlers(): void {
    this.server.installSignalHandlers();
  }

  /** The HTTP port, the vital subjects, then the subscription; resolves with the HTTP address. */
  async start(): Promise<string> {
    const { config, settings, logger } = this;
    const address = await this.server.start();
    const registry = new SchemaRegistryClient({
      url: config.platform.kafka.schemaRegistryUrl,
      credentials: schemaRegistryLogin(config.platform.kafka),
    });
    const codecs = vitalValueCodecs(settings.valueFormat, registry);
    await setUpVitalSubjects(codecs, registry, logger);
    const useCase = new SplitReadingsUseCase(
      new PrometheusProcessorMetrics(this.metrics.registry),
      {
        maxFutureSkewMs: settings.maxFutureSkewMs,
      },
    );
    await new DeviceDataSubscriber(this.bus, useCase, codecs, { topics: settings.topics }).start();
    this.subscribed = true;
    logger.info(
      { topics: settings.topics, valueFormat: settings.valueFormat, group: config.consumerGroup },
      'stream-processor started',
    );
    return address;
  }

  /** Drains and closes everything (the SDK's server closes the bus). */
  stop(): Promise<void> {
    return this.server.stop();
  }
}
