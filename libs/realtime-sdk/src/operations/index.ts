export {
  HealthRegistry,
  kafkaBrokersCheck,
  kafkaConsumersCheck,
  type CheckResult,
  type HealthCheck,
  type Readiness,
} from './health.registry.js';
export { operationsPlugin, type OperationsPluginOptions } from './operations.plugin.js';
export {
  RealtimeServer,
  wsAuthFromConfig,
  wsAuthUnsafe,
  type RealtimeServerOptions,
  type ServerHubOptions,
} from './realtime-server.js';
