import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sdk = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Runs `body` as an ES module in a fresh Node process (the SDK's dist, as a service runs it). */
function inFreshProcess(body: string): unknown {
  const script = `
    const { createRequire } = await import('node:module');
    const fromSdk = createRequire(${JSON.stringify(sdk)});
    // Importing a patch module patches nothing: it only holds the replacement.
    const linear = await import(${JSON.stringify(sdk.replace('index.js', 'kafka/kafkajs-linear-grouping.patch.js'))});
    const kafkajsState = () => ({
      grouping: fromSdk('kafkajs/src/producer/groupMessagesPerPartition.js') === linear.groupMessagesPerPartition,
      record: fromSdk('kafkajs/src/protocol/recordBatch/record/v0/index.js').kRealtimePlatformPatched === true,
    });
    ${body}
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? 'null');
}

const busOptions = `{ brokers: ['127.0.0.1:9'], clientId: 'x', consumerGroup: 'x', instanceId: 'x' }`;

describe('kafkajs speed-ups (opt-in, process-wide)', () => {
  it('importing the SDK and creating a default kafkajs bus should leave kafkajs as it is', () => {
    expect(
      inFreshProcess(`
        const sdk = await import(${JSON.stringify(sdk)});
        const bus = new sdk.KafkajsMessageBus(${busOptions});
        console.log(JSON.stringify({ speedups: bus.speedups, ...kafkajsState() }));
      `),
    ).toEqual({
      speedups: { linearGrouping: 'off', recordEncoder: 'off' },
      // kafkajs's own grouping and record encoder.
      grouping: false,
      record: false,
    });
  });

  it('kafkajsSpeedups: true should install both before kafkajs loads, and say so', () => {
    expect(
      inFreshProcess(`
        const sdk = await import(${JSON.stringify(sdk)});
        const bus = new sdk.KafkajsMessageBus({ ...${busOptions}, kafkajsSpeedups: true });
        console.log(JSON.stringify({ speedups: bus.speedups, ...kafkajsState() }));
      `),
    ).toEqual({
      speedups: { linearGrouping: 'installed', recordEncoder: 'installed' },
      grouping: true,
      record: true,
    });
  });

  it('should answer too-late for what kafkajs already captured when it was loaded before', () => {
    expect(
      inFreshProcess(`
        fromSdk('kafkajs');
        const sdk = await import(${JSON.stringify(sdk)});
        const bus = new sdk.KafkajsMessageBus({ ...${busOptions}, kafkajsSpeedups: true });
        console.log(JSON.stringify({ speedups: bus.speedups, ...kafkajsState() }));
      `),
    ).toEqual({
      // kafkajs loads its producer with it (the grouping is captured), its produce request only
      // at the first send (the record encoder can still be replaced).
      speedups: { linearGrouping: 'too-late', recordEncoder: 'installed' },
      grouping: false,
      record: true,
    });
  });
});
