import { describe, expect, it } from '@jest/globals';
import { groupMessagesPerPartition } from '../../src/kafka/kafkajs-linear-grouping.patch.js';
import { isPatched } from '../../src/kafka/kafkajs-record-encoder.patch.js';
import { installKafkajsSpeedups } from '../../src/kafka/kafkajs-speedups.js';
import { kafkajsRequire } from '../../src/kafka/kafkajs.loader.js';

// Before anything in this file loads kafkajs, as a service process would before creating its
// bus. The contract (whose helpers import kafkajs) is imported only after: jest loads the CommonJS
// modules an ES module imports while linking it, before any module of the file runs.
const installed = installKafkajsSpeedups();
const { KafkajsMessageBus } = await import('../../src/index.js');
const { describeMessageBusContract } = await import('./contract/message-bus.contract.js');

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
