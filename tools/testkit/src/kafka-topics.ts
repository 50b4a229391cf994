// Topics a test creates on a test broker, as the provisioning principal (the platform's set-up
// Job creates topics the same way; applications may not).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig } from 'kafkajs';
import { dlqTopicName } from '@realtime-platform/platform-contract';

/**
 * A test broker or cluster (local-infra's `kafka()`): its `kafkajsConfig()` logs in as the
 * provisioning principal, a super user.
 */
export interface KafkaTarget {
  kafkajsConfig(): KafkaConfig;
}

const adminOf = (kafka: KafkaTarget): Admin =>
  new Kafka({
    clientId: 'testkit-admin',
    ...kafka.kafkajsConfig(),
    logLevel: logLevel.NOTHING,
    // A loaded 2-core machine can take seconds to elect the leaders of a new topic.
    retry: { retries: 10, initialRetryTime: 300 },
  }).admin();

/** Creates `topics` and resolves once every partition of them has a leader. */
export async function createTopics(
  kafka: KafkaTarget,
  topics: readonly ITopicConfig[],
): Promise<void> {
  const admin = adminOf(kafka);
  await admin.connect();
  try {
    // kafkajs' own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION: waited for below.
    await admin.createTopics({ waitForLeaders: false, topics: [...topics] });
    await waitForLeaders(
      admin,
      topics.map((t) => t.topic),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates `<prefix>-<uuid>` (`partitions` partitions) and its dead-letter topic (the contract's
 * `dlqTopicName`, one partition), and returns the topic's name: a fresh topic per test, so files
 * and reruns never share records.
 */
export async function createTopic(
  kafka: KafkaTarget,
  prefix: string,
  partitions = 3,
): Promise<string> {
  const topic = `${prefix}-${randomUUID()}`;
  await createTopics(kafka, [
    { topic, numPartitions: partitions },
    { topic: dlqTopicName(topic), numPartitions: 1 },
  ]);
  return topic;
}

/**
 * Until every partition of `topics` has a leader. kafkajs' own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker under load briefly answers UNKNOWN_TOPIC_OR_PARTITION
 * for a topic it just created: waiting on the state, not on one error code, covers both.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (
        metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`no leaders for ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
