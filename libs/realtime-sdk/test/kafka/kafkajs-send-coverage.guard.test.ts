import { describe, expect, it } from '@jest/globals';
import { Partitioners, type Message, type PartitionerArgs } from 'kafkajs';
import {
  partitionPinning,
  uncoveredPartitions,
} from '../../src/kafka/kafkajs-send-coverage.guard.js';
import { memoizedKeyPartitioner } from '../../src/kafka/memoized-key.partitioner.js';

const metadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

const acked = (topicName: string, partition: number, errorCode = 0) => ({
  topicName,
  partition,
  errorCode,
});

describe('partitionPinning', () => {
  it('should choose what the wrapped partitioner chooses and write it on the record', () => {
    const pinned = partitionPinning(memoizedKeyPartitioner)();
    const kafkajs = Partitioners.DefaultPartitioner();
    for (let n = 0; n < 200; n += 1) {
      const message: Message = { key: `device-${n}`, value: 'v' };
      const args: PartitionerArgs = { topic: 't', partitionMetadata: metadata(6), message };
      const expected = kafkajs({ ...args, message: { ...message } });
      expect(pinned(args)).toBe(expected);
      expect(message.partition).toBe(expected);
    }
  });

  it('should give a keyless record the same partition on every retry of a send', () => {
    const pinned = partitionPinning(memoizedKeyPartitioner)();
    const message: Message = { value: 'no key' };
    const first = pinned({ topic: 't', partitionMetadata: metadata(6), message });
    // kafkajs's round robin would move it on; a retry must not.
    for (let retry = 0; retry < 10; retry += 1) {
      expect(pinned({ topic: 't', partitionMetadata: metadata(6), message })).toBe(first);
    }
  });

  it('should keep a partition the caller chose', () => {
    const pinned = partitionPinning(memoizedKeyPartitioner)();
    const message: Message = { key: 'device-1', value: 'v', partition: 5 };
    expect(pinned({ topic: 't', partitionMetadata: metadata(6), message })).toBe(5);
  });
});

describe('uncoveredPartitions', () => {
  const sent = [
    {
      topic: 'a',
      messages: [
        { key: '1', value: null, partition: 0 },
        { key: '2', value: null, partition: 1 },
        { key: '3', value: null, partition: 2 },
      ],
    },
    { topic: 'b', messages: [{ key: '4', value: null, partition: 1 }] },
  ];

  it('should be empty when every partition written to was acknowledged', () => {
    expect(
      uncoveredPartitions(sent, [acked('a', 2), acked('b', 1), acked('a', 0), acked('a', 1)]),
    ).toEqual([]);
  });

  it('should name partitions the result lacks (a leader that moved mid-send to a broker that had answered)', () => {
    expect(uncoveredPartitions(sent, [acked('a', 0), acked('a', 2)])).toEqual(['a[1]', 'b[1]']);
  });

  it('should name partitions acknowledged with an error code', () => {
    expect(
      uncoveredPartitions(sent, [acked('a', 0), acked('a', 1), acked('a', 2, 6), acked('b', 1)]),
    ).toEqual(['a[2]']);
  });

  it('should name a record no partitioner placed: it cannot be proven written', () => {
    expect(
      uncoveredPartitions(
        [{ topic: 'c', messages: [{ key: null, value: null }] }],
        [acked('c', 0)],
      ),
    ).toEqual(['c[?]']);
  });
});
