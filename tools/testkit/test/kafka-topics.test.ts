import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import { createTopic, createTopics } from '../src/index.js';

// A real KRaft broker with the platform's SASL/SCRAM and ACLs, no topic auto-creation: what exists
// afterwards was created by these helpers.
const kafka = useKafkaBroker({ autoCreateTopics: false });

/** Partition count and leaders of each topic, as the broker's metadata reports them. */
async function describeTopics(topics: string[]): Promise<Record<string, number[]>> {
  const admin = new Kafka({ ...kafka().kafkajsConfig(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    return Object.fromEntries(
      metadata.map((t) => [t.name, t.partitions.map((p) => p.leader).sort()]),
    );
  } finally {
    await admin.disconnect();
  }
}

describe('createTopic', () => {
  it('should create a fresh <prefix>-<uuid> topic and its dead-letter topic, each partition led', async () => {
    const topic = await createTopic(kafka(), 'orders', 3);
    expect(topic).toMatch(/^orders-[0-9a-f-]{36}$/);
    const leaders = await describeTopics([topic, dlqTopicName(topic)]);
    expect(leaders[topic]).toHaveLength(3);
    expect(leaders[dlqTopicName(topic)]).toHaveLength(1);
    expect(
      Object.values(leaders)
        .flat()
        .every((leader) => leader >= 0),
    ).toBe(true);
  });

  it('should give every call its own topic', async () => {
    const [a, b] = await Promise.all([
      createTopic(kafka(), 'same', 1),
      createTopic(kafka(), 'same', 1),
    ]);
    expect(a).not.toBe(b);
  });
});

describe('createTopics', () => {
  it('should create the topics as given, with their partition counts, once every partition is led', async () => {
    const [alpha, beta] = [`alpha-${randomUUID()}`, `beta-${randomUUID()}`];
    await createTopics(kafka(), [
      { topic: alpha, numPartitions: 2 },
      { topic: beta, numPartitions: 1 },
    ]);
    const leaders = await describeTopics([alpha, beta]);
    expect(leaders[alpha]).toHaveLength(2);
    expect(leaders[beta]).toHaveLength(1);
    expect(
      Object.values(leaders)
        .flat()
        .every((leader) => leader >= 0),
    ).toBe(true);
  });
});
