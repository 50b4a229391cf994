import { Module, createRequire } from 'node:module';

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
 * `installed`: kafkajs will use the linear grouping. `too-late`: kafkajs's producer was already
 * loaded in this process (it captured the original). `unsupported`: another kafkajs version.
 */
export type KafkajsGroupingPatch = 'installed' | 'too-late' | 'unsupported';

function install(): KafkajsGroupingPatch {
  const require = createRequire(import.meta.url);
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
  const replacement = new Module(target);
  replacement.filename = target;
  replacement.loaded = true;
  replacement.exports = groupMessagesPerPartition;
  require.cache[target] = replacement;
  return 'installed';
}

/** Evaluated before the adapter imports kafkajs (see the import order there). */
export const kafkajsGroupingPatch: KafkajsGroupingPatch = install();
