import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { Partitioners } from 'kafkajs';
import { groupMessagesPerPartition } from '../../src/kafka/kafkajs-linear-grouping.patch.js';

// jest's module registry is its own: this loads kafkajs's original, unpatched module.
const require = createRequire(import.meta.url);
const original = require('kafkajs/src/producer/groupMessagesPerPartition.js') as (
  input: unknown,
) => Record<number, unknown[]>;

const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({
  partitionId,
  leader: 1,
}));

describe('kafkajs linear grouping patch', () => {
  it('should group exactly as kafkajs does: same partitions, same messages, same order', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const messages = [
      ...Array.from({ length: 500 }, (_, i) => ({ key: `device-${i % 37}`, value: `v${i}` })),
      { key: null, value: 'no key', partition: 4 },
      { key: 'explicit', value: 'explicit partition', partition: 2 },
    ];
    type Input = Parameters<typeof groupMessagesPerPartition>[0];
    const input = { topic: 'vitals', partitionMetadata, messages, partitioner } as unknown as Input;
    expect(groupMessagesPerPartition(input)).toEqual(original(input));
    expect(groupMessagesPerPartition({ ...input, partitionMetadata: [] })).toEqual({});
  });
});
