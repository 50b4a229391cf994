export { eventually, pollUntil, type EventuallyOptions } from './eventually.js';
export { createTopic, createTopics, type KafkaTarget } from './kafka-topics.js';
