export type {
  BatchHandler,
  BatchResult,
  ConsumedRecord,
  ConsumerMode,
  HandlerContext,
  MessageBus,
  OutgoingRecord,
  Reachability,
  RecordHandler,
  RecordHeaders,
  RejectedRecord,
  RetryPolicy,
  SubscribeOptions,
  Subscription,
  TopicRecords,
} from './message-bus.port.js';
export { KafkajsMessageBus } from './kafkajs-message-bus.adapter.js';
export { PlatformaticMessageBus } from './platformatic-message-bus.adapter.js';
export { createMessageBus } from './kafka-client.js';
export {
  kafkaBusSecurity,
  kafkaAccessError,
  kafkaAccessProblem,
  contractAllowsGroup,
  type KafkaAccessProblem,
  type KafkaBusSecurity,
} from './kafka-access.errors.js';
export {
  installKafkajsSpeedups,
  kafkajsSpeedupsOff,
  type KafkajsSpeedups,
} from './kafkajs-speedups.js';
export type { KafkajsPatchStatus } from './kafkajs-linear-grouping.patch.js';
export {
  defaultKafkaBusOptions,
  kafkaBusOptionsSchema,
  kafkaClients,
  type KafkaClientName,
  resolveKafkaBusOptions,
  type KafkaBusInput,
  type KafkaBusOptions,
} from './kafka.options.js';
export { defaultRetryPolicy, retryDelayMs } from './retry.policy.js';
export {
  deadLetterHeaders,
  deadLetterHeadersFor,
  errorCodeOf,
  type DeadLetterReason,
} from './dead-letter.headers.js';
export { broadcastGroupId } from './consumer-group.naming.js';
export type { Codec, CodecContext } from './codecs/codec.port.js';
export { mapDecoded } from './codecs/codec.port.js';
export { fetchMaxBytesFor } from './fetch-budget.js';
export { jsonCodec, bufferCodec, type JsonCodecOptions } from './codecs/json.codec.js';
export {
  avroCodec,
  type AvroCodec,
  confluentMagicByte,
  confluentHeaderLength,
  type AvroCodecOptions,
  type AvroSchema,
} from './codecs/avro.codec.js';
export {
  SchemaRegistryClient,
  schemaRegistryLogin,
  type CompatibilityLevel,
  type SchemaRegistryClientOptions,
} from './codecs/schema-registry.client.js';
