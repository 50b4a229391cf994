import { KafkajsMessageBus } from './kafkajs-message-bus.adapter.js';
import type { KafkaBusInput, KafkaClientName } from './kafka.options.js';
import type { MessageBus } from './message-bus.port.js';
import { PlatformaticMessageBus } from './platformatic-message-bus.adapter.js';

/** The MessageBus of the adapter `client` names; both pass the same contract suite. */
export function createMessageBus(
  input: KafkaBusInput & { readonly client: KafkaClientName },
): MessageBus {
  const { client, ...options } = input;
  switch (client) {
    case 'platformatic':
      return new PlatformaticMessageBus(options);
    case 'kafkajs':
      return new KafkajsMessageBus(options);
    case 'kafkajs-speedups':
      return new KafkajsMessageBus({ ...options, kafkajsSpeedups: true });
  }
}
