/*
 * kafkajs 2.2.4 groups a send's messages by partition with
 *   messages.reduce((result, m) => Object.assign(result, { [p]: [...result[p], m] }), {})
 * which copies a partition's array for every message: O(n²) per send. A processor that sends
 * thousands of records at once spends most of its CPU there (the splitter's profile: 14 % self
 * time plus the garbage). The fix was proposed upstream (tulios/kafkajs#1576) but kafkajs is
 * unmaintained and never released it. This module puts a linear version with the same result in
 * place of kafkajs's internal module, before kafkajs loads it. Pinned to the version it was
 * checked against; any other version is left alone.
 */

const patchedVersion = '2.2.4';

interface GroupInput {
  readonly topic: string;
  readonly partitionMetadata: readonly unknown[];
  readonly messages: readonly unknown[];
  readonly partitioner: (args: {
    topic: string;
    partitionMetadata: readonly unknown[];
    message: unknown;
  }) => number;
}

/** kafkajs's `groupMessagesPerPartition`, in O(n): partition → messages, in input order. */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupInput): Record<number, unknown[]> {
  if (partitionMetadata.length === 0) return {};
  const result: Record<number, unknown[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const current = result[partition];
    if (current === undefined) result[partition] = [message];
    else current.push(message);
  }
  return result;
}

/**
 * `installed`: kafkajs uses the linear grouping. `too-late`: kafkajs's producer was already loaded
 * in this module registry (it captured the original). `unsupported`: another kafkajs version.
 */
export type KafkajsPatchStatus = 'installed' | 'too-late' | 'unsupported';

/**
 * Puts the linear grouping in place of kafkajs's internal module, in the registry of the `require`
 * given (Node's, or jest's: both hand out `cache[path].exports`, so replacing the exports of the
 * loaded original works in either, where inserting a module into the cache works only in Node).
 * Only called by `installKafkajsSpeedups()`: nothing is patched on import.
 */
export function installLinearGrouping(require: NodeJS.Require): KafkajsPatchStatus {
  let target: string;
  let sendMessages: string;
  try {
    const { version } = require('kafkajs/package.json') as { version: string };
    if (version !== patchedVersion) return 'unsupported';
    target = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
    sendMessages = require.resolve('kafkajs/src/producer/sendMessages.js');
  } catch {
    return 'unsupported';
  }
  if (require.cache[target]?.exports === groupMessagesPerPartition) return 'installed';
  if (require.cache[sendMessages] !== undefined) return 'too-late';
  require(target);
  const loaded = require.cache[target];
  if (loaded === undefined) return 'unsupported';
  loaded.exports = groupMessagesPerPartition;
  return 'installed';
}
