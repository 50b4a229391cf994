import 'reflect-metadata';
import {
  realtimeTokens,
  registerRealtimeSdk,
  SchemaRegistryClient,
  schemaRegistryLogin,
  type Logger,
  type MessageBus,
  type RealtimeConfig,
  type RealtimeSdk,
  type SdkMetrics,
} from '@realtime-platform/realtime-sdk';
import { Counter, Gauge } from 'prom-client';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import {
  GetLatestVitalsUseCase,
  ListRecentAlertsUseCase,
  RaiseAlertsUseCase,
  StreamLiveAlertUseCase,
  StreamLiveVitalUseCase,
  type AlertPublisher,
  type AlertRepository,
  type AlertRuleStateStore,
  type Clock,
  type LatestVitalsStore,
  type LiveFeed,
} from '../../application/index.js';
import { AlertPolicy } from '../../domain/index.js';
import { systemClock } from '../clock/system.clock.js';
import { loadServiceConfig, type ServiceConfig } from '../config/service-config.js';
import { KafkaAlertPublisher } from '../kafka/kafka-alert.publisher.js';
import { VitalStreamConsumers } from '../kafka/vital-stream.consumers.js';
import { WsHubLiveFeed } from '../live-feed/ws-hub.live-feed.js';
import { InMemoryLatestVitalsStore } from '../memory/in-memory.latest-vitals.store.js';
import type { AlertDatabase } from '../database/alert-database.js';
import { openAlertDatabase } from '../database/open-alert-database.js';
import { databaseSchema } from '../postgres/database-schema.js';
import { serviceTokens } from './service.tokens.js';

export interface RegisterRealtimeServiceOptions {
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The `migrations/` directory of the package. */
  readonly migrationsDir: string | URL;
}

const singleton = <T>(factory: (c: DependencyContainer) => T) => ({
  useFactory: instanceCachingFactory<T>(factory),
});

/**
 * Registers the SDK and every adapter and use case of this service in a tsyringe container. The
 * configuration (secrets, SDK variables, the service's own RTP_* variables) is loaded and
 * validated here, so a bad value fails the start; everything else is created once, on first
 * resolve. Ports are registered by token: a test or a variant swaps an adapter by registering its
 * token again.
 */
export function registerRealtimeService(
  container: DependencyContainer,
  options: RegisterRealtimeServiceOptions,
): DependencyContainer {
  const env = options.env ?? process.env;
  const config = loadServiceConfig(env);
  registerRealtimeSdk(container, {
    env,
    serviceName: config.serviceName,
    hub: {
      topics: [...config.vitalTopics, config.alertsTopic],
      path: config.wsPath,
      // The vital topics are Avro: this service consumes them itself (VitalStreamConsumers).
      bridge: false,
    },
  });
  const sdkConfig = container.resolve<RealtimeConfig>(realtimeTokens.Config);
  const resolve = <T>(c: DependencyContainer, token: symbol): T => c.resolve<T>(token);

  container.register(serviceTokens.ServiceConfig, { useValue: config });
  container.register(serviceTokens.Clock, { useValue: systemClock });
  // The engine DB_TYPE names (PostgreSQL, MySQL or MongoDB) behind the same two ports.
  container.register(
    serviceTokens.AlertDatabase,
    singleton((c) =>
      openAlertDatabase(sdkConfig.platform.db, {
        namespace: databaseSchema,
        applicationName: config.serviceName,
        migrationsDir: options.migrationsDir,
        logger: resolve<Logger>(c, realtimeTokens.Logger),
      }),
    ),
  );
  container.register(
    serviceTokens.SchemaRegistry,
    singleton(
      () =>
        new SchemaRegistryClient({
          url: sdkConfig.platform.kafka.schemaRegistryUrl,
          credentials: schemaRegistryLogin(sdkConfig.platform.kafka),
        }),
    ),
  );
  container.register(
    serviceTokens.AlertPolicy,
    singleton(() => new AlertPolicy(config.alertRules)),
  );
  container.register(
    serviceTokens.AlertRepository,
    singleton((c) => resolve<AlertDatabase>(c, serviceTokens.AlertDatabase).alerts),
  );
  container.register(
    serviceTokens.AlertRuleStateStore,
    singleton((c) => resolve<AlertDatabase>(c, serviceTokens.AlertDatabase).ruleState),
  );
  container.register(
    serviceTokens.AlertPublisher,
    singleton((c) => {
      const metrics = resolve<SdkMetrics>(c, realtimeTokens.Metrics);
      const published = new Counter({
        name: 'rtp_service_alerts_published_total',
        help: 'Alerts this replica raised and published to the alerts topic',
        labelNames: ['rule', 'severity'],
        registers: [metrics.registry],
      });
      return new KafkaAlertPublisher(
        resolve<MessageBus>(c, realtimeTokens.MessageBus),
        config.alertsTopic,
        (alert) => published.inc({ rule: alert.ruleId, severity: alert.severity }),
      );
    }),
  );
  container.register(
    serviceTokens.LatestVitalsStore,
    singleton((c) => {
      const store = new InMemoryLatestVitalsStore();
      const registers = [resolve<SdkMetrics>(c, realtimeTokens.Metrics).registry];
      // Read at scrape time; one series each, never per device (bounded labels).
      new Gauge({
        name: 'rtp_service_devices_known',
        help: 'devices this replica holds latest vitals of (seen since its start, bounded)',
        registers,
        collect() {
          this.set(store.size);
        },
      });
      new Gauge({
        name: 'rtp_service_device_silence_seconds',
        help: 'seconds since the most silent known device last sent a reading (0 with no device)',
        registers,
        collect() {
          this.set(store.longestSilenceMs() / 1000);
        },
      });
      return store;
    }),
  );
  container.register(
    serviceTokens.LiveFeed,
    singleton((c) => {
      const sdk = resolve<RealtimeSdk>(c, realtimeTokens.RealtimeSdk);
      // The hub exists once the server is ready; records only flow after that.
      return new WsHubLiveFeed(() => sdk.hub, config.alertsTopic);
    }),
  );

  container.register(
    serviceTokens.StreamLiveVital,
    singleton(
      (c) =>
        new StreamLiveVitalUseCase(
          resolve<LatestVitalsStore>(c, serviceTokens.LatestVitalsStore),
          resolve<LiveFeed>(c, serviceTokens.LiveFeed),
        ),
    ),
  );
  container.register(
    serviceTokens.StreamLiveAlert,
    singleton((c) => new StreamLiveAlertUseCase(resolve<LiveFeed>(c, serviceTokens.LiveFeed))),
  );
  container.register(
    serviceTokens.RaiseAlerts,
    singleton(
      (c) =>
        new RaiseAlertsUseCase(
          resolve<AlertPolicy>(c, serviceTokens.AlertPolicy),
          resolve<AlertRepository>(c, serviceTokens.AlertRepository),
          resolve<AlertPublisher>(c, serviceTokens.AlertPublisher),
          resolve<AlertRuleStateStore>(c, serviceTokens.AlertRuleStateStore),
          resolve<Clock>(c, serviceTokens.Clock),
        ),
    ),
  );
  container.register(
    serviceTokens.GetLatestVitals,
    singleton(
      (c) =>
        new GetLatestVitalsUseCase(resolve<LatestVitalsStore>(c, serviceTokens.LatestVitalsStore)),
    ),
  );
  container.register(
    serviceTokens.ListRecentAlerts,
    singleton(
      (c) =>
        new ListRecentAlertsUseCase(resolve<AlertRepository>(c, serviceTokens.AlertRepository)),
    ),
  );
  container.register(
    serviceTokens.VitalStreamConsumers,
    singleton(
      (c) =>
        new VitalStreamConsumers({
          bus: resolve<MessageBus>(c, realtimeTokens.MessageBus),
          registry: resolve<SchemaRegistryClient>(c, serviceTokens.SchemaRegistry),
          config: resolve<ServiceConfig>(c, serviceTokens.ServiceConfig),
          consumerGroup: sdkConfig.consumerGroup,
          streamLiveVital: resolve<StreamLiveVitalUseCase>(c, serviceTokens.StreamLiveVital),
          streamLiveAlert: resolve<StreamLiveAlertUseCase>(c, serviceTokens.StreamLiveAlert),
          raiseAlerts: resolve<RaiseAlertsUseCase>(c, serviceTokens.RaiseAlerts),
          logger: resolve<Logger>(c, realtimeTokens.Logger).child({ component: 'consumers' }),
        }),
    ),
  );
  return container;
}
