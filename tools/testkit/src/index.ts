// Written once in local-infra (its own tests poll too); every other test takes them from here.
export { eventually, pollUntil, type EventuallyOptions } from '@realtime-platform/local-infra';
export {
  processesMentioning,
  processesMentioningInCommandOrEnvironment,
  waitForOutput,
  type WatchedChild,
} from './child-processes.js';
export { anyErrorParams, describeErrorTable, type ErrorTableExpectations } from './error-table.js';
export { createTopic, createTopics, type KafkaTarget } from './kafka-topics.js';
export {
  checkOnionLayers,
  describeOnionLayers,
  type ExpectedOnionLayers,
  type OnionLayer,
  type OnionLayerReport,
} from './onion-layers.js';
export { fleetReading, payloadOf, reading, readingId } from './readings.js';
