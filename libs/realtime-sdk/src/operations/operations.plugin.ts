import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { sdkErrors } from '../sdk.errors.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import { HealthRegistry } from './health.registry.js';

export interface OperationsPluginOptions {
  readonly health: HealthRegistry;
  readonly metrics: SdkMetrics;
}

/**
 * `GET /health/live` (the event loop answers), `GET /health/ready` (200 or 503 with every check)
 * and `GET /metrics` (Prometheus text).
 */
const plugin: FastifyPluginCallback<OperationsPluginOptions> = (fastify, options, next) => {
  if (
    !(options.health instanceof HealthRegistry) ||
    typeof options.metrics?.render !== 'function'
  ) {
    return next(
      sdkErrors.OPTIONS_INVALID({
        component: 'operations plugin',
        problems: ['/options/health must be a HealthRegistry and /options/metrics an SdkMetrics'],
      }),
    );
  }
  const { health, metrics } = options;
  fastify.get('/health/live', async () => ({ status: 'ok' }));
  fastify.get('/health/ready', async (_request, reply) => {
    const readiness = await health.readiness();
    return reply
      .code(readiness.ready ? 200 : 503)
      .send({ status: readiness.ready ? 'ready' : 'not-ready', checks: readiness.checks });
  });
  fastify.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.render();
  });
  next();
};

export const operationsPlugin = fp(plugin, {
  fastify: '5.x',
  name: '@realtime-platform/operations',
});
export default operationsPlugin;
