// The stream-processor's composition root: configuration, wiring, start, SIGTERM drain.
import {
  createMessageBus,
  RealtimeServer,
  SchemaRegistryClient,
  SdkMetrics,
  createLogger,
  kafkaBusSecurity,
  loadRealtimeConfig,
  schemaRegistryLogin,
} from '@realtime-platform/realtime-sdk';
import { SplitReadingsUseCase } from './application/split-readings.use-case.js';
import { DeviceDataSubscriber } from './infrastructure/device-data.subscriber.js';
import { PrometheusProcessorMetrics } from './infrastructure/prometheus-processor.metrics.js';
import { setUpVitalSubjects } from './infrastructure/vital-subjects.registrar.js';
import { vitalValueCodecs } from './infrastructure/vital-value.codecs.js';
import { readProcessorSettings } from './interface/processor-settings.env.js';

async function main(): Promise<void> {
  const config = loadRealtimeConfig({ websocket: false });
  const settings = readProcessorSettings(process.env);
  const logger = createLogger({ name: config.serviceName, level: config.logLevel });
  const metrics = new SdkMetrics({ defaultLabels: { service: config.serviceName } });
  const bus = createMessageBus({
    client: config.kafkaClient,
    brokers: config.platform.kafka.bootstrapServers,
    security: kafkaBusSecurity(config.platform.kafka),
    clientId: config.serviceName,
    consumerGroup: config.consumerGroup,
    instanceId: config.instanceId,
    logger,
    metrics,
  });
  const server = new RealtimeServer({ config, logger, metrics, bus });
  // Not ready until the subjects are set up and the consumer is subscribed.
  let subscribed = false;
  server.health.add('stream-processor', () => ({
    ok: subscribed,
    detail: subscribed ? `splitting ${settings.topics.join(',')}` : 'starting',
  }));
  server.installSignalHandlers();
  await server.start();

  const registry = new SchemaRegistryClient({
    url: config.platform.kafka.schemaRegistryUrl,
    credentials: schemaRegistryLogin(config.platform.kafka),
  });
  const codecs = vitalValueCodecs(settings.valueFormat, registry);
  await setUpVitalSubjects(codecs, registry, logger);
  const useCase = new SplitReadingsUseCase(new PrometheusProcessorMetrics(metrics.registry), {
    maxFutureSkewMs: settings.maxFutureSkewMs,
  });
  await new DeviceDataSubscriber(bus, useCase, codecs, { topics: settings.topics }).start();
  subscribed = true;
  logger.info(
    { topics: settings.topics, valueFormat: settings.valueFormat, group: config.consumerGroup },
    'stream-processor started',
  );
}

main().catch((error: unknown) => {
  // Before the logger exists (configuration) or after start failed: one JSON line, exit 1.
  console.error(
    JSON.stringify({
      level: 'fatal',
      msg: 'stream-processor failed to start',
      err: String((error as Error)?.stack ?? error),
    }),
  );
  process.exit(1);
});
