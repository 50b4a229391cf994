export { eventually, pollUntil, type EventuallyOptions } from './eventually.js';
export { createTopic, createTopics, type KafkaTarget } from './kafka-topics.js';
export { checkOnionLayers, type OnionLayer, type OnionLayerReport } from './onion-layers.js';
