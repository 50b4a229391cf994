import type { ICustomPartitioner } from 'kafkajs';
import { kafkajsRequire, loadKafkajs } from './kafkajs.loader.js';

const maxCachedKeys = 10_000;

/**
 * kafkajs's DefaultPartitioner (the Java client's: `toPositive(murmur2(key)) % partitions`, so a
 * key lands where a Java producer would put it) with the hash of string keys remembered. A
 * processor writes several records with the same key (one per output topic, and devices send
 * again and again); kafkajs hashes each one and filters the partition list per message. Records
 * without a string key, or with an explicit partition, go to kafkajs's partitioner unchanged.
 * kafkajs is loaded when a producer creates its partitioner, never on import.
 */
export const memoizedKeyPartitioner: ICustomPartitioner = () => {
  const fallback = loadKafkajs().Partitioners.DefaultPartitioner();
  /** kafkajs's Java-compatible murmur2 (the function its DefaultPartitioner hashes keys with). */
  const murmur2 = kafkajsRequire('kafkajs/src/producer/partitioners/default/murmur2.js') as (
    key: string | Buffer,
  ) => number;
  const hashes = new Map<string, number>();
  return (args) => {
    const { message, partitionMetadata } = args;
    const { key } = message;
    if (
      typeof key !== 'string' ||
      (message.partition !== null && message.partition !== undefined)
    ) {
      return fallback(args);
    }
    let hash = hashes.get(key);
    if (hash === undefined) {
      if (hashes.size >= maxCachedKeys) hashes.clear();
      hash = murmur2(key) & 0x7fffffff;
      hashes.set(key, hash);
    }
    return hash % partitionMetadata.length;
  };
};
