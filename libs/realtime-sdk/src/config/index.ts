export {
  loadRealtimeConfig,
  defaultSecretsDir,
  logLevels,
  type LoadConfigOptions,
  type LogLevel,
  type RealtimeConfig,
  type ValueSource,
  type WsAuthConfig,
  type WsLimitsConfig,
} from './realtime-config.js';
export { readSecretsDir, type SecretsDirContent } from './secrets-dir.reader.js';
export { sdkEnvCatalog, type SdkEnvName, type SdkEnvVariable } from './sdk-env.catalog.js';
export { isLoopbackHost, jwksUrlProblem } from './loopback-host.js';
export { messageBusFromConfig } from './message-bus.factory.js';
