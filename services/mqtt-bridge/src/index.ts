/**
 * @realtime-platform/mqtt-bridge - the MQTT → Kafka bridge of the built-in pipeline, usable
 * in-process (benches, the local platform) as well as `node dist/main.js`.
 */
export { bridgeErrors, bridgeErrorDocs } from './bridge.errors.js';
export {
  defaultReadingRoutePolicy,
  routeReading,
  type DeadLetterRoute,
  type ForwardRoute,
  type ReadingRoute,
  type ReadingRoutePolicy,
} from './domain/reading-route.policy.js';
export type { BridgeMetrics } from './application/ports/bridge-metrics.port.js';
export type {
  DeadLetter,
  ForwardedReading,
  ReadingSink,
} from './application/ports/reading-sink.port.js';
export type {
  InboundMessage,
  InboundMessageHandler,
  MessageReceipt,
  ReadingSource,
} from './application/ports/reading-source.port.js';
export {
  ReadingForwarder,
  defaultReadingForwarderOptions,
  type ForwarderStopReport,
  type ReadingForwarderOptions,
} from './application/reading-forwarder.use-case.js';
export { loadBridgeSettings, type BridgeSettings } from './infrastructure/config/service-config.js';
export { KafkaReadingSink, payloadTruncatedHeader } from './infrastructure/kafka-reading.sink.js';
export {
  MqttReadingSource,
  defaultMqttReadingSourceOptions,
  type MqttReadingSourceOptions,
} from './infrastructure/mqtt-reading.source.js';
export { MqttBridge, type MqttBridgeOptions } from './composition-root.js';
