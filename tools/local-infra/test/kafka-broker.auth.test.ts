import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import {
  deviceDataTopic,
  dlqTopicName,
  vitalTopics,
  type KafkaPrincipalId,
} from '@realtime-platform/platform-contract';
import { useKafkaBroker } from '../src/jest/index.js';

// The broker enforces what the platform contract's planKafkaAccess says, on the real Kafka: these
// are the refusals the ACLs exist for. (The SDK turns them into coded errors: see realtime-sdk.)
const kafka = useKafkaBroker({ autoCreateTopics: false });

const [heartRate] = vitalTopics;
const clientAs = (id: KafkaPrincipalId, overrides: Partial<KafkaConfig> = {}): Kafka =>
  new Kafka({
    clientId: `auth-${id}`,
    ...kafka().kafkajsConfig(id),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...overrides,
  });

interface KafkajsError {
  type?: string;
  name?: string;
  message?: string;
  cause?: KafkajsError;
}

/** The error chain of a kafkajs error as one line: names, protocol error types, messages. */
const describeError = (error: KafkajsError | undefined): string =>
  error === undefined
    ? ''
    : `${error.name ?? ''} ${error.type ?? ''} ${error.message ?? ''} ${describeError(error.cause)}`;

async function expectRefusal(work: Promise<unknown>, type: string | RegExp): Promise<void> {
  const error = (await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as KafkajsError | undefined;
  expect(error).toBeDefined();
  expect(describeError(error)).toMatch(type);
}

/**
 * Runs `work` with a kafkajs admin of `id` whose debug log is kept: kafkajs reports a refused
 * FindCoordinator only as "Failed to find group coordinator" and logs the broker's error code.
 */
async function withLoggedAdmin(
  id: KafkaPrincipalId,
  work: (admin: Admin) => Promise<unknown>,
): Promise<{ error: unknown; log: string }> {
  const lines: string[] = [];
  const admin = clientAs(id, {
    logLevel: logLevel.DEBUG,
    // The first group lookup may find __consumer_offsets still being created, or its coordinator
    // still loading (COORDINATOR_LOAD_IN_PROGRESS took longer than 5 retries on a busy machine).
    retry: { retries: 10, initialRetryTime: 200 },
    logCreator: () => (entry) => lines.push(JSON.stringify(entry.log)),
  }).admin();
  await admin.connect();
  try {
    // Loads the cluster metadata first: kafkajs looks for coordinators among known brokers only.
    await admin.listTopics();
    const error = await work(admin).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    return { error, log: lines.join('\n') };
  } finally {
    await admin.disconnect();
  }
}

async function produceAs(id: KafkaPrincipalId, topic: string): Promise<void> {
  const producer = clientAs(id).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'd1', value: 'v' }] });
  } finally {
    await producer.disconnect();
  }
}

describe('KafkaBroker authentication and ACLs (real Kafka, StandardAuthorizer)', () => {
  it('is set up with the contract topics by the provisioning principal', async () => {
    await kafka().createTopics(
      [deviceDataTopic, dlqTopicName(deviceDataTopic), ...vitalTopics].map((topic) => ({
        topic,
        numPartitions: 1,
      })),
    );
  });

  it('refuses a wrong password', async () => {
    const wrong = clientAs('app', {
      sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'not-the-password' },
    }).admin();
    await expectRefusal(wrong.connect(), /SASL|[Aa]uthentication failed/);
  });

  it('refuses a client without SASL', async () => {
    const anonymous = new Kafka({
      clientId: 'anonymous',
      brokers: [kafka().bootstrapServers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
      requestTimeout: 2000,
    }).admin();
    await expectRefusal(
      anonymous.connect().then(() => anonymous.listTopics()),
      /./,
    );
    await anonymous.disconnect().catch(() => undefined);
  });

  it('lets the bridge write device_data but not a vital topic', async () => {
    await produceAs('bridge', deviceDataTopic);
    await expectRefusal(produceAs('bridge', heartRate), 'TOPIC_AUTHORIZATION_FAILED');
  });

  it('does not let an application read device_data, nor the bridge join any group', async () => {
    const appAdmin = clientAs('app').admin();
    await appAdmin.connect();
    try {
      // Not even its existence: without DESCRIBE the topic is invisible to the principal.
      expect(await appAdmin.listTopics()).not.toContain(deviceDataTopic);
      await expectRefusal(
        appAdmin.fetchTopicMetadata({ topics: [deviceDataTopic] }),
        'TOPIC_AUTHORIZATION_FAILED',
      );
    } finally {
      await appAdmin.disconnect();
    }
    const bridge = await withLoggedAdmin('bridge', (admin) =>
      admin.fetchOffsets({ groupId: `bridge-${randomUUID()}`, topics: [deviceDataTopic] }),
    );
    expect(bridge.error).toBeDefined();
    expect(bridge.log).toContain('GROUP_AUTHORIZATION_FAILED');
  });

  it('keeps applications out of the stream processor’s consumer group', async () => {
    const denied = await withLoggedAdmin('app', (admin) =>
      admin.fetchOffsets({ groupId: 'stream-processor', topics: [heartRate] }),
    );
    expect(denied.error).toBeDefined();
    expect(denied.log).toContain('GROUP_AUTHORIZATION_FAILED');
    // Its own groups are fine.
    const own = await withLoggedAdmin('app', (admin) =>
      admin.fetchOffsets({ groupId: `vitals-${randomUUID()}`, topics: [heartRate] }),
    );
    expect(own.error).toBeUndefined();
  });

  it('does not let an application delete a topic', async () => {
    const appAdmin = clientAs('app').admin();
    await appAdmin.connect();
    try {
      await expectRefusal(
        appAdmin.deleteTopics({ topics: [heartRate], timeout: 2000 }),
        'TOPIC_AUTHORIZATION_FAILED',
      );
    } finally {
      await appAdmin.disconnect();
    }
    const admin = clientAs('admin').admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(heartRate);
    } finally {
      await admin.disconnect();
    }
  });
});
