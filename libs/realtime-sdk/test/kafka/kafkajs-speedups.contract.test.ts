// First: the speed-ups must replace kafkajs's modules before the contract's helpers load kafkajs.
import { installed } from './contract/kafkajs-speedups.setup.js';
import { describe, expect, it } from '@jest/globals';
import { kafkajsRequire } from '../../src/kafka/kafkajs.loader.js';
import { groupMessagesPerPartition } from '../../src/kafka/kafkajs-linear-grouping.patch.js';
import { isPatched } from '../../src/kafka/kafkajs-record-encoder.patch.js';
import { KafkajsMessageBus } from '../../src/index.js';
import { describeMessageBusContract } from './contract/message-bus.contract.js';

describe('kafkajs speed-ups in this test file', () => {
  it('should be installed, so the contract below runs kafkajs with them', () => {
    expect(installed).toEqual({ linearGrouping: 'installed', recordEncoder: 'installed' });
    expect(kafkajsRequire('kafkajs/src/producer/groupMessagesPerPartition.js')).toBe(
      groupMessagesPerPartition,
    );
    expect(isPatched(kafkajsRequire('kafkajs/src/protocol/recordBatch/record/v0/index.js'))).toBe(
      true,
    );
  });
});

// kafkajs with the speed-ups (RTP_KAFKA_CLIENT=kafkajs-speedups): the same MessageBus contract.
describeMessageBusContract({
  name: 'KafkajsMessageBus with speed-ups',
  create: (input) => new KafkajsMessageBus({ ...input, kafkajsSpeedups: true }),
});
