import { kafkaBusSecurity } from '../kafka/kafka-access.errors.js';
import { createMessageBus } from '../kafka/kafka-client.js';
import type { KafkaBusInput } from '../kafka/kafka.options.js';
import type { MessageBus } from '../kafka/message-bus.port.js';
import type { RealtimeConfig } from './realtime-config.js';

/**
 * The MessageBus a service gets from its config: the adapter `RTP_KAFKA_CLIENT` names, the kafka
 * secret's brokers and credentials, the service's client id, group and instance. One place, so
 * the services' composition roots and the SDK's container cannot drift apart.
 */
export function messageBusFromConfig(
  config: RealtimeConfig,
  extra: Partial<KafkaBusInput> = {},
): MessageBus {
  return createMessageBus({
    client: config.kafkaClient,
    ...extra,
    brokers: config.platform.kafka.bootstrapServers,
    security: kafkaBusSecurity(config.platform.kafka),
    clientId: config.serviceName,
    consumerGroup: config.consumerGroup,
    instanceId: config.instanceId,
  });
}
