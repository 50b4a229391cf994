import { KafkajsMessageBus } from '../../src/index.js';
import { describeMessageBusContract } from './contract/message-bus.contract.js';

// kafkajs 2.2.4 as published (no speed-ups): the MessageBus contract against a real broker.
describeMessageBusContract({
  name: 'KafkajsMessageBus',
  create: (input) => new KafkajsMessageBus(input),
});
