import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

  it('should be what kafkajs uses in a service process (installed before kafkajs loads)', () => {
    const sdk = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `
      const sdk = await import(${JSON.stringify(sdk)});
      const { createRequire } = await import('node:module');
      const fromSdk = createRequire(${JSON.stringify(sdk)});
      const internal = fromSdk('kafkajs/src/producer/groupMessagesPerPartition.js');
      const patch = await import(${JSON.stringify(sdk.replace('index.js', 'kafka/kafkajs-linear-grouping.patch.js'))});
      console.log(JSON.stringify({ status: sdk.kafkajsGroupingPatch, used: internal === patch.groupMessagesPerPartition }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim())).toEqual({ status: 'installed', used: true });
  });
});
