import { describe, expect, it } from '@jest/globals';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { memoizedKeyPartitioner } from '../../src/kafka/memoized-key.partitioner.js';

const metadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

describe('memoizedKeyPartitioner', () => {
  it('should choose the partition kafkajs (and the Java client) chooses for every key, twice', () => {
    const ours = memoizedKeyPartitioner();
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 7, 64]) {
      for (let round = 0; round < 2; round += 1) {
        for (let n = 0; n < 2000; n += 1) {
          const args: PartitionerArgs = {
            topic: 'vitals',
            partitionMetadata: metadata(partitions),
            message: { key: `device-${n}-ü`, value: 'v' },
          };
          expect(ours(args)).toBe(kafkajs(args));
        }
      }
    }
  });

  it('should leave explicit partitions and Buffer keys to kafkajs', () => {
    const ours = memoizedKeyPartitioner();
    const kafkajs = Partitioners.DefaultPartitioner();
    const partitionMetadata = metadata(6);
    const buffer = { key: Buffer.from('device-9'), value: 'v' };
    expect(ours({ topic: 't', partitionMetadata, message: buffer })).toBe(
      kafkajs({ topic: 't', partitionMetadata, message: buffer }),
    );
    expect(
      ours({ topic: 't', partitionMetadata, message: { key: 'x', value: 'v', partition: 5 } }),
    ).toBe(5);
  });
});
