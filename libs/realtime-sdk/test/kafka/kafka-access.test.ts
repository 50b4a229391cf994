import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import {
  alertsTopic,
  deviceDataTopic,
  dlqTopicName,
  vitalTopics,
  type KafkaPrincipalId,
} from '@realtime-platform/platform-contract';
import { eventually } from '@realtime-platform/testkit';
import {
  KafkajsMessageBus,
  PlatformaticMessageBus,
  SdkMetrics,
  jsonCodec,
  kafkaAccessError,
  kafkaConsumersCheck,
  sdkErrors,
  type KafkaBusInput,
} from '../../src/index.js';
import type { ContractBus } from './contract/message-bus.contract.js';

// Each refusal comes from the real broker (SASL/SCRAM, StandardAuthorizer, the contract's ACLs) and
// reaches the application as a coded, non-retriable error: nothing loops on it.
const kafka = useKafkaBroker({ autoCreateTopics: false });

const [heartRate] = vitalTopics;
const buses: ContractBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

/** Both MessageBus adapters: the refusals are part of the port's contract. */
const adapters: { name: string; create(input: KafkaBusInput): ContractBus }[] = [
  { name: 'KafkajsMessageBus', create: (input) => new KafkajsMessageBus(input) },
  { name: 'PlatformaticMessageBus', create: (input) => new PlatformaticMessageBus(input) },
];

function busAs(
  adapter: (typeof adapters)[number],
  id: KafkaPrincipalId,
  overrides: Partial<KafkaBusInput> = {},
): ContractBus {
  const bus = adapter.create({
    brokers: [kafka().bootstrapServers],
    security: kafka().busSecurity(id),
    clientId: `access-${id}`,
    consumerGroup: `access-${randomUUID()}`,
    instanceId: 'pod-a',
    clientRetry: { retries: 1, initialRetryTimeMs: 100, maxRetryTimeMs: 200 },
    restartDelayMs: { initial: 50, max: 100 },
    ...overrides,
  });
  buses.push(bus);
  return bus;
}

const refusal = async (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as Error & { code: string; retriable: boolean },
  );

describe('Kafka authentication and authorization through the SDK (real broker)', () => {
  it('is set up with the platform topics by the provisioning principal', async () => {
    await kafka().createTopics(
      [deviceDataTopic, ...vitalTopics, alertsTopic].flatMap((topic) => [
        { topic, numPartitions: 1 },
        { topic: dlqTopicName(topic), numPartitions: 1 },
      ]),
    );
  });

  describe.each(adapters)('$name', (adapter) => {
    it('connect() refuses a wrong password with KAFKA_AUTH_FAILED, not retriable', async () => {
      const bus = busAs(adapter, 'app', {
        security: { ...kafka().busSecurity('app'), password: 'wrong-password-for-app' },
      });
      const error = await refusal(bus.connect());
      expect(error.code).toBe(sdkErrors.KAFKA_AUTH_FAILED.code);
      expect(error.retriable).toBe(false);
      expect(error.message).toContain('app');
      expect(error.message).not.toContain('wrong-password-for-app');
    });

    it('publish() lets the bridge write device_data but refuses a vital topic with KAFKA_NOT_AUTHORIZED', async () => {
      const bus = busAs(adapter, 'bridge');
      await bus.connect();
      await bus.publish(deviceDataTopic, [{ key: 'd1', value: { deviceId: 'd1' } }], jsonCodec());
      const error = await refusal(
        bus.publish(heartRate, [{ key: 'd1', value: { forged: true } }], jsonCodec()),
      );
      expect(error.code).toBe(sdkErrors.KAFKA_NOT_AUTHORIZED.code);
      expect(error.retriable).toBe(false);
      expect(error.message).toContain(`mqtt-bridge may not write to topic ${heartRate}`);
    });

    it('subscribe() refuses an application reading device_data, a topic it is not granted', async () => {
      const bus = busAs(adapter, 'app');
      await bus.connect();
      const error = await refusal(
        bus.subscribe({
          topics: [deviceDataTopic],
          mode: 'shared',
          codec: jsonCodec(),
          handler: () => undefined,
        }),
      );
      expect(error.code).toBe(sdkErrors.KAFKA_NOT_AUTHORIZED.code);
      expect(error.message).toContain(`describe topic ${deviceDataTopic}`);
      expect(bus.subscriptions()).toEqual([]);
    });

    it('subscribe() refuses an application joining the stream processor’s group', async () => {
      const bus = busAs(adapter, 'app');
      await bus.connect();
      const error = await refusal(
        bus.subscribe({
          topics: [heartRate],
          mode: 'shared',
          groupId: 'stream-processor',
          codec: jsonCodec(),
          handler: () => undefined,
        }),
      );
      expect(error.code).toBe(sdkErrors.KAFKA_NOT_AUTHORIZED.code);
    });

    it('stops a subscription the broker refuses to fetch for (no READ), once, without restarting it', async () => {
      const metrics = new SdkMetrics({ defaultMetrics: false });
      const bus = busAs(adapter, 'app', { metrics });
      await bus.connect();
      // The app may write a DLQ (so it sees the topic) but not read it: the fetch is refused.
      const subscription = await bus.subscribe({
        topics: [dlqTopicName(heartRate)],
        mode: 'shared',
        codec: jsonCodec(),
        handler: () => undefined,
      });
      await eventually(() => subscription.failed() !== undefined, {
        timeoutMs: 20_000,
        what: 'the refusal',
      });
      expect(subscription.failed()?.code).toBe(sdkErrors.KAFKA_NOT_AUTHORIZED.code);
      await expect(subscription.waitUntilJoined(1000)).rejects.toMatchObject({
        code: sdkErrors.KAFKA_NOT_AUTHORIZED.code,
      });
      expect(kafkaConsumersCheck(bus)()).toMatchObject({
        ok: false,
        detail: expect.stringContaining(sdkErrors.KAFKA_NOT_AUTHORIZED.code),
      });
      // Several restart delays later, it was never recreated.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const restarts = await metrics.registry
        .getSingleMetric('rtp_kafka_consumer_restarts_total')
        ?.get();
      expect((restarts?.values ?? []).reduce((sum, value) => sum + value.value, 0)).toBe(0);
    });
  });

  it('classifies an application’s refused topic deletion as KAFKA_NOT_AUTHORIZED', async () => {
    const admin = new Kafka({
      clientId: 'access-app-admin',
      ...kafka().kafkajsConfig('app'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await admin.connect();
    try {
      const thrown = await admin.deleteTopics({ topics: [heartRate], timeout: 2000 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      const error = kafkaAccessError(thrown, {
        brokers: [kafka().bootstrapServers],
        username: 'app',
        operation: 'delete',
        resource: `topic ${heartRate}`,
      });
      expect(error?.code).toBe(sdkErrors.KAFKA_NOT_AUTHORIZED.code);
      expect(error?.message).toContain('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
  });
});
