/**
 * @realtime-platform/realtime-sdk - one entry point, grouped by layer (lowest first).
 */

// tsyringe (di/) needs the Reflect metadata polyfill before it is loaded.
import 'reflect-metadata';

// Errors
export { sdkErrors, sdkErrorDocs, type SdkErrorKey } from './sdk.errors.js';
export { optionsValidator, type OptionsSchema } from './options/options.validator.js';

// Config: the five secrets (env + mounted directory) and the SDK's RTP_* variables
export * from './config/index.js';

// Telemetry: Prometheus metrics, pino logs
export * from './telemetry/index.js';

// Kafka: the MessageBus port, the kafkajs adapter, codecs
export * from './kafka/index.js';

// MQTT
export * from './mqtt/index.js';

// Access: what a person's token grants (devices, wards, topics), the audit log
export * from './access/index.js';

// WebSocket hub (fastify plugin) and the Kafka bridge
export * from './ws-hub/index.js';

// Operations: health, metrics routes, the composed server, SIGTERM drain
export * from './operations/index.js';

// Dependency injection (tsyringe)
export * from './di/index.js';
