/**
 * Composition root of realtime-service: wiring only, the one place that knows the concrete
 * adapters (registered by token in `infrastructure/di`) and the routes. Configuration comes from
 * the five platform secrets (env or mounted files) and documented RTP_* variables, loaded and
 * validated on construction; see README.md. `main.ts` only starts it.
 */
import 'reflect-metadata';
import {
  AccessAuditLog,
  AccessPolicy,
  realtimeTokens,
  wsAuthFromConfig,
  type Logger,
  type RealtimeConfig,
  type RealtimeSdk,
  type SdkMetrics,
} from '@realtime-platform/realtime-sdk';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { GetLatestVitalsUseCase, ListRecentAlertsUseCase } from './application/index.js';
import type { ServiceConfig } from './infrastructure/config/service-config.js';
import { registerRealtimeService } from './infrastructure/di/service.registrations.js';
import { serviceTokens } from './infrastructure/di/service.tokens.js';
import type { VitalStreamConsumers } from './infrastructure/kafka/vital-stream.consumers.js';
import { kindOfTopic, topicOfKind } from './infrastructure/kafka/vital-topics.js';
import type { AlertDatabase } from './infrastructure/database/alert-database.js';
import { dashboardRoutes } from './interface/dashboard/dashboard.routes.js';
import { apiRoutes } from './interface/http/api.routes.js';

export interface RealtimeServiceOptions {
  /** Defaults to `process.env`: the five platform secrets plus the `RTP_*` variables. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The service: the container is filled and the configuration validated on construction (a bad
 * value fails there, before anything connects); `start` migrates the database, mounts the routes,
 * listens and then starts the consumers. The SDK installs the SIGTERM drain at start.
 */
export class RealtimeService {
  readonly container: DependencyContainer;

  constructor(options: RealtimeServiceOptions = {}) {
    this.container = registerRealtimeService(rootContainer.createChildContainer(), {
      ...(options.env === undefined ? {} : { env: options.env }),
      migrationsDir: new URL('../migrations/', import.meta.url),
    });
  }

  /** Resolves with the HTTP address once the consumers started. */
  async start(): Promise<string> {
    const { container } = this;
    const config = container.resolve<ServiceConfig>(serviceTokens.ServiceConfig);
    const sdkConfig = container.resolve<RealtimeConfig>(realtimeTokens.Config);
    const logger = container.resolve<Logger>(realtimeTokens.Logger);
    const sdk = container.resolve<RealtimeSdk>(realtimeTokens.RealtimeSdk);
    const database = container.resolve<AlertDatabase>(serviceTokens.AlertDatabase);
    const consumers = container.resolve<VitalStreamConsumers>(serviceTokens.VitalStreamConsumers);
    const app = sdk.server.app;

    // Database first: the schema must exist before a record can raise an alert.
    const migrations = await database.migrate();
    logger.info({ ...migrations, database: database.type }, 'database schema up to date');
    sdk.health.add(database.type, () => database.check());

    const auth = wsAuthFromConfig(sdkConfig.wsAuth);
    // The hub's defaults (claim name, device field): REST reads are decided like subscriptions, and
    // audited through the same class and logger.
    const access = new AccessPolicy();
    await app.register(apiRoutes, {
      prefix: '/api',
      auth,
      access,
      audit: new AccessAuditLog(logger, container.resolve<SdkMetrics>(realtimeTokens.Metrics)),
      alertsTopic: config.alertsTopic,
      vitalTopicOfKind: Object.fromEntries(
        config.vitalTopics.map((topic) => [kindOfTopic[topic], topicOfKind[kindOfTopic[topic]]]),
      ),
      getLatestVitals: container.resolve<GetLatestVitalsUseCase>(serviceTokens.GetLatestVitals),
      listRecentAlerts: container.resolve<ListRecentAlertsUseCase>(serviceTokens.ListRecentAlerts),
    });
    await app.register(dashboardRoutes, {
      publicDir: new URL('../public/', import.meta.url),
      config: {
        wsPath: config.wsPath,
        auth: auth === false ? 'disabled' : 'jwt',
        accessClaim: access.claim,
        vitalTopics: Object.fromEntries(config.vitalTopics.map((t) => [kindOfTopic[t], t])),
        alertsTopic: config.alertsTopic,
        alertRules: config.alertRules,
      },
    });

    // The port opens first and the consumers start after it, with /health/ready false until they
    // joined their groups: after a crash (kill -9) the shared group waits for the dead member's
    // session to expire (sessionTimeoutMs, 10 s), as long as fastify's boot timeout, and a
    // closed port would fail the liveness probe too - a crash loop instead of a recovery.
    let consumersStarted = false;
    sdk.health.add('consumers', () => ({
      ok: consumersStarted,
      detail: consumersStarted ? 'vital and alert consumers started' : 'starting',
    }));
    app.addHook('onClose', async () => {
      await consumers.stop();
      await database.close();
    });

    const address = await sdk.start();
    logger.info({ address, wsPath: config.wsPath, auth: sdkConfig.wsAuth.mode }, 'listening');
    await consumers.start();
    consumersStarted = true;
    logger.info('consumers started');
    return address;
  }

  /** Drains and closes everything (consumers, then the database, in the server's onClose). */
  stop(): Promise<void> {
    return this.container.resolve<RealtimeSdk>(realtimeTokens.RealtimeSdk).stop();
  }
}
