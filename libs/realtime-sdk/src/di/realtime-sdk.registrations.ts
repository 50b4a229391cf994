import 'reflect-metadata';
import { Lifecycle, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import {
  loadRealtimeConfig,
  type LoadConfigOptions,
  type RealtimeConfig,
} from '../config/realtime-config.js';
import { messageBusFromConfig } from '../config/message-bus.factory.js';
import type { KafkaBusInput } from '../kafka/kafka.options.js';
import { HealthRegistry } from '../operations/health.registry.js';
import { createLogger, type Logger } from '../telemetry/sdk.logger.js';
import { SdkMetrics } from '../telemetry/sdk.metrics.js';
import { realtimeTokens } from './di.tokens.js';
import { RealtimeSdk, type RealtimeSdkOptions } from './realtime-sdk.js';

export interface RegisterRealtimeSdkOptions extends RealtimeSdkOptions, LoadConfigOptions {
  /** An already loaded config; otherwise it is loaded (and validated) now, from env and secrets. */
  readonly config?: RealtimeConfig;
  readonly logger?: Logger;
  /** Extra Kafka bus settings (timeouts, retry); the adapter is `RTP_KAFKA_CLIENT`'s. */
  readonly kafka?: Partial<
    Omit<KafkaBusInput, 'brokers' | 'security' | 'clientId' | 'consumerGroup' | 'instanceId'>
  >;
}

/**
 * Registers the SDK in a tsyringe container. The configuration is loaded and validated here, so a
 * missing secret key fails at start-up; everything else is created lazily, once, on first resolve.
 *
 * @example
 * registerRealtimeSdk(container, { serviceName: 'vitals-gateway', hub: { topics: [...vitalTopics] } });
 * await container.resolve<RealtimeSdk>(realtimeTokens.RealtimeSdk).start();
 */
export function registerRealtimeSdk(
  container: DependencyContainer,
  options: RegisterRealtimeSdkOptions = {},
): DependencyContainer {
  const config = options.config ?? loadRealtimeConfig(options);
  container.register(realtimeTokens.Config, { useValue: config });
  container.register(realtimeTokens.Options, { useValue: options });
  container.register(realtimeTokens.Logger, {
    useFactory: instanceCachingFactory(
      () => options.logger ?? createLogger({ level: config.logLevel, name: config.serviceName }),
    ),
  });
  container.register(realtimeTokens.Metrics, {
    useFactory: instanceCachingFactory(
      () => new SdkMetrics({ defaultLabels: { service: config.serviceName } }),
    ),
  });
  container.register(realtimeTokens.Health, {
    useFactory: instanceCachingFactory(() => new HealthRegistry()),
  });
  container.register(realtimeTokens.MessageBus, {
    useFactory: instanceCachingFactory((c) =>
      messageBusFromConfig(config, {
        ...options.kafka,
        logger: c.resolve<Logger>(realtimeTokens.Logger),
        metrics: c.resolve<SdkMetrics>(realtimeTokens.Metrics),
      }),
    ),
  });
  container.register(
    realtimeTokens.RealtimeSdk,
    { useClass: RealtimeSdk },
    { lifecycle: Lifecycle.Singleton },
  );
  return container;
}
