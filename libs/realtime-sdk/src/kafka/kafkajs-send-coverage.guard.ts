import type { ICustomPartitioner, RecordMetadata } from 'kafkajs';
import type { KafkaOutgoingMessage } from './outgoing-records.encoder.js';

/**
 * kafkajs 2.2.4 can resolve a send that spans several brokers while records were never written:
 * when a leader moves mid-send, its retry (`sendMessages.js`) only resends to brokers that have not
 * answered yet, so a partition whose new leader already answered for its own partitions is
 * skipped, and the result just lacks its entry. These two pieces let the kafkajs adapter notice.
 */

/**
 * Wraps a partitioner so each record keeps the partition it was first given, written on the
 * record itself: kafkajs partitions again on every retry (a keyless record could move to another
 * partition, one already answered for), and after the send the adapter reads from the records
 * which partitions must be in the result. The partition count is kafkajs's own cached metadata,
 * so this costs no round trip.
 */
export const partitionPinning =
  (create: ICustomPartitioner): ICustomPartitioner =>
  () => {
    const partitioner = create();
    return (args) => {
      const { message } = args;
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      const partition = partitioner(args);
      message.partition = partition;
      return partition;
    };
  };

/**
 * The topic-partitions (`topic[partition]`) a send wrote records to that its result has no
 * error-free entry for; empty when every record's partition was acknowledged. A record without a
 * partition (the partitioner never saw it) cannot be proven written and counts as `topic[?]`.
 */
export function uncoveredPartitions(
  topicMessages: readonly { topic: string; messages: readonly KafkaOutgoingMessage[] }[],
  results: readonly RecordMetadata[],
): string[] {
  const acknowledged = new Map<string, Set<number>>();
  for (const { topicName, partition, errorCode } of results) {
    if (errorCode !== 0) continue;
    let partitions = acknowledged.get(topicName);
    if (partitions === undefined) acknowledged.set(topicName, (partitions = new Set()));
    partitions.add(partition);
  }
  const missing = new Set<string>();
  for (const { topic, messages } of topicMessages) {
    const partitions = acknowledged.get(topic);
    for (const { partition } of messages) {
      if (partition === undefined || partitions?.has(partition) !== true)
        missing.add(`${topic}[${partition ?? '?'}]`);
    }
  }
  return [...missing];
}
