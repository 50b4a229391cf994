import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { createTopic, eventually } from '@realtime-platform/testkit';
import { PlatformaticMessageBus, jsonCodec } from '../../src/index.js';

/**
 * Static group membership (KIP-345) in the platformatic adapter: a member killed with SIGKILL never
 * leaves its group; a restarted process with the same instance id takes its place at once instead
 * of the group waiting for the dead member's session to expire (as it must with dynamic members,
 * the kafkajs adapter's only kind). The session timeout is long here (45 s) so the difference is
 * unmistakable: the replacement must be handling records well before it. (With
 * `staticMembership: false` in the member process this test fails: the group waits out the dead
 * member's session, checked by hand once.)
 */
const kafka = useKafkaBroker();
const sessionTimeoutMs = 45_000;
const script = fileURLToPath(new URL('./fixtures/static-member.process.mjs', import.meta.url));

interface Member {
  readonly child: ChildProcess;
  readonly records: number[];
  joined: boolean;
}

const members: Member[] = [];
afterEach(() => {
  for (const { child } of members.splice(0)) child.kill('SIGKILL');
});

function startMember(config: Record<string, unknown>): Member {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', STATIC_MEMBER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const member: Member = { child, records: [], joined: false };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as { joined?: boolean; record?: number };
    if (event.joined) member.joined = true;
    if (event.record !== undefined) member.records.push(event.record);
  });
  members.push(member);
  return member;
}

describe('PlatformaticMessageBus static membership (real Kafka, a member killed with SIGKILL)', () => {
  it('a member restarted with the same instance id should take its partitions back before the dead session expires', async () => {
    const topic = await createTopic(kafka(), 'static', 3);
    const config = {
      brokers: [kafka().bootstrapServers],
      security: kafka().busSecurity(),
      group: `static-${Math.random().toString(36).slice(2)}`,
      instanceId: 'static-pod-0',
      topic,
      sessionTimeoutMs,
    };
    const producer = new PlatformaticMessageBus({
      brokers: [kafka().bootstrapServers],
      security: kafka().busSecurity(),
      clientId: 'static-producer',
      consumerGroup: 'unused',
      instanceId: 'producer',
    });
    await producer.connect();
    try {
      let n = 0;
      const publish = () =>
        producer.publish(
          topic,
          [0, 1, 2].map((partition) => ({ partition, value: { n: (n += 1) } })),
          jsonCodec<{ n: number }>(),
        );
      const first = startMember(config);
      await eventually(() => first.joined, { timeoutMs: 60_000, what: 'the first member joined' });
      await publish();
      await eventually(() => first.records.length >= 3, {
        timeoutMs: 30_000,
        what: 'the first member consumed',
      });
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));

      const killedAt = Date.now();
      const second = startMember(config);
      let publishedAt = 0;
      await eventually(
        async () => {
          if (Date.now() - publishedAt > 500) {
            publishedAt = Date.now();
            await publish();
          }
          return second.records.some((record) => record > 3);
        },
        {
          timeoutMs: sessionTimeoutMs - 15_000,
          what: 'the restarted member handling new records before the dead session expired',
        },
      );
      expect(Date.now() - killedAt).toBeLessThan(sessionTimeoutMs);
    } finally {
      await producer.close();
    }
  }, 180_000);
});
