import { PlatformaticMessageBus } from '../../src/index.js';
import { describeMessageBusContract } from './contract/message-bus.contract.js';

// @platformatic/kafka: the same MessageBus contract against a real broker.
describeMessageBusContract({
  name: 'PlatformaticMessageBus',
  create: (input) => new PlatformaticMessageBus(input),
});
