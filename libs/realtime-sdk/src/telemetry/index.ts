export { SdkMetrics, stageSecondsBuckets, type SdkMetricsOptions } from './sdk.metrics.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './sdk.logger.js';
