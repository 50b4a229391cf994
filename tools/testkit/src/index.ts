// Written once in local-infra (its own tests poll too); every other test takes them from here.
export { eventually, pollUntil, type EventuallyOptions } from '@realtime-platform/local-infra';
export { createTopic, createTopics, type KafkaTarget } from './kafka-topics.js';
export { checkOnionLayers, type OnionLayer, type OnionLayerReport } from './onion-layers.js';
