import type { KafkaBroker } from '@realtime-platform/local-infra';
import { parseClaimSpec, planTopics } from '@realtime-platform/platform-contract';
import { createTopics } from '@realtime-platform/testkit';
import {
  KafkajsMessageBus,
  SchemaRegistryClient,
  type MessageBus,
} from '@realtime-platform/realtime-sdk';
import {
  vitalRecordCodec,
  type VitalRecordValue,
} from '../../src/infrastructure/kafka/vital-record.codec.js';

/**
 * Creates every topic a platform has (the vital topics, the alerts topic, their `.dlq`s), as the
 * provisioning principal.
 */
export async function createPlatformTopics(kafka: KafkaBroker): Promise<void> {
  await createTopics(
    kafka,
    planTopics(parseClaimSpec({ name: 'health-data' })).map((topic) => ({
      topic: topic.name,
      numPartitions: topic.partitions,
    })),
  );
}

/**
 * Produces vital records the way the stream processing does: Avro (health-domain schemas) in the
 * Confluent wire format, schemas registered in the real registry, key = deviceId.
 */
export class VitalProducer {
  private constructor(
    private readonly bus: MessageBus,
    private readonly registry: SchemaRegistryClient,
  ) {}

  /** Logs in as the stream processor's principal: the one allowed to write the vital topics. */
  static async connect(kafka: KafkaBroker, registryUrl: string): Promise<VitalProducer> {
    const bus = new KafkajsMessageBus({
      brokers: [kafka.bootstrapServers],
      security: kafka.busSecurity('stream'),
      clientId: 'test-vital-producer',
      consumerGroup: 'unused',
      instanceId: 'test',
    });
    await bus.connect();
    const { username, password } = kafka.credentials('stream');
    return new VitalProducer(
      bus,
      new SchemaRegistryClient({ url: registryUrl, credentials: { username, password } }),
    );
  }

  /** Records of one topic in one partition keep their order (tests rely on it). */
  async produce(
    topic: string,
    records: readonly VitalRecordValue[],
    partition?: number,
  ): Promise<void> {
    await this.bus.publish(
      topic,
      records.map((value) => ({
        key: value.deviceId,
        value,
        ...(partition === undefined ? {} : { partition }),
      })),
      vitalRecordCodec(this.registry),
    );
  }

  get messageBus(): MessageBus {
    return this.bus;
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

export const at = { latitude: 52.37, longitude: 4.89 };

export const heartRate = (deviceId: string, value: number, createdTime = Date.now()) => ({
  deviceId,
  value,
  ...at,
  createdTime,
});

export const bloodPressure = (
  deviceId: string,
  systolic: number,
  diastolic: number,
  createdTime = Date.now(),
) => ({ deviceId, systolic, diastolic, ...at, createdTime });
