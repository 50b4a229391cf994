import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { LocalPlatform } from '@realtime-platform/local-platform';
import {
  deviceDataDlqTopic,
  splitReading,
  vitalTopicSchemas,
  type HealthData,
  type VitalTopic,
} from '@realtime-platform/health-domain';
import { deviceMqttTopic, vitalTopics } from '@realtime-platform/platform-contract';
import {
  avroCodec,
  SchemaRegistryClient,
  type AvroCodec,
  type AvroSchema,
} from '@realtime-platform/realtime-sdk';
import { readingId } from '@realtime-platform/testkit';
import { reading } from './support/readings.js';
import { TopicReader } from './support/topic-reader.js';
import { gatewayPublisher, stopPlatform } from './support/platform-lifecycle.js';

/**
 * Issue 10: MQTT → mqtt-bridge → Kafka device_data → stream-processor → the four vital topics,
 * every part real and every service its own process.
 */
describe('health-data pipeline (bridge + stream processor, real Mosquitto, Kafka, Schema Registry)', () => {
  let platform: LocalPlatform;
  let reader: TopicReader;
  let publisher: MqttClient;
  const codecs = new Map<VitalTopic, AvroCodec<Record<string, unknown>>>();

  beforeAll(async () => {
    platform = await LocalPlatform.start({
      name: 'e2e-pipeline',
      services: ['mqtt-bridge', 'stream-processor'],
      simulator: false,
    });
    const registry = new SchemaRegistryClient({
      url: platform.schemaRegistry.url,
      credentials: platform.schemaRegistry.credentials(),
    });
    for (const topic of vitalTopics) {
      // health-domain's schema type is readonly; avsc's is mutable: same shape.
      codecs.set(
        topic,
        avroCodec({ registry, schema: vitalTopicSchemas[topic] as unknown as AvroSchema }),
      );
    }
    reader = await TopicReader.start(platform.kafka, [...vitalTopics, deviceDataDlqTopic]);
    publisher = await gatewayPublisher(platform, 'e2e-devices');
  }, 300_000);

  afterAll(async () => {
    await publisher?.endAsync();
    await reader?.stop();
    await stopPlatform(platform);
  }, 60_000);

  const publish = (value: unknown): Promise<unknown> =>
    publisher.publishAsync(
      deviceMqttTopic,
      typeof value === 'string' ? value : JSON.stringify(value),
      { qos: 1 },
    );

  const decoded = async (
    topic: VitalTopic,
  ): Promise<Map<string, { key: string | undefined; value: unknown }>> => {
    const codec = codecs.get(topic)!;
    const byIdentity = new Map<string, { key: string | undefined; value: unknown }>();
    for (const record of reader.of(topic)) {
      const value = (await codec.decode(record.value, { topic })) as {
        deviceId: string;
        createdTime: number;
      };
      byIdentity.set(readingId(value), { key: record.key, value });
    }
    return byIdentity;
  };

  it('turns every reading published over MQTT into the four Avro records the Lenses SQL would write', async () => {
    const readings: HealthData[] = [];
    for (let device = 0; device < 5; device++) {
      for (let sequence = 0; sequence < 20; sequence++) {
        readings.push(reading(`device-${device}`, device * 1000 + sequence));
      }
    }
    await Promise.all(readings.map((value) => publish(value)));

    await reader.waitUntil(
      () => vitalTopics.every((topic) => reader.of(topic).length >= readings.length),
      () =>
        vitalTopics
          .map((topic) => `${topic}: ${reader.of(topic).length}/${readings.length}`)
          .join(', '),
    );
    for (const topic of vitalTopics) {
      const records = await decoded(topic);
      for (const value of readings) {
        const expected = splitReading(value).find((record) => record.topic === topic)!;
        expect(records.get(readingId(value))).toEqual({
          key: value.deviceId,
          value: expected.value,
        });
      }
    }
  });

  it('sends malformed readings to device_data.dlq with the reason, and keeps going', async () => {
    const before = reader.of(deviceDataDlqTopic).length;
    await publish('{"deviceId": "broken-json"');
    await publish({ ...reading('device-bad', 1), heartRate: 900 });
    const { heartRate: _missing, ...withoutHeartRate } = reading('device-bad', 2);
    await publish(withoutHeartRate);
    const after = reading('device-after-bad', 3);
    await publish(after);

    await reader.waitUntil(
      () => reader.of(deviceDataDlqTopic).length >= before + 3,
      () => `${reader.of(deviceDataDlqTopic).length - before}/3 dead letters`,
    );
    const letters = reader.of(deviceDataDlqTopic).slice(before);
    for (const letter of letters) {
      // The reason travels with the record: a code and a message, whichever header names they use.
      const reason = Object.entries(letter.headers).filter(([name]) => /error|reason/i.test(name));
      expect(reason.length).toBeGreaterThan(0);
      expect(reason.map(([, value]) => value).join(' ')).toMatch(/RTP_ERR_/);
    }
    expect(letters.map((letter) => letter.value.toString())).toContain(
      '{"deviceId": "broken-json"',
    );
    await reader.waitUntil(
      async () => (await decoded('heart_rate_device_topic')).has(readingId(after)),
      () => 'the reading after the malformed ones never reached heart_rate_device_topic',
    );
  });

  it('delivers every reading Mosquitto acknowledged at least once when the bridge and the processor are killed -9 mid-stream', async () => {
    const total = 3000;
    const acknowledged: HealthData[] = [];
    const sending = (async () => {
      for (let sequence = 0; sequence < total; sequence++) {
        const value = reading(`crash-${sequence % 10}`, 100_000 + sequence);
        // Resolves on PUBACK: from here on Mosquitto (and the bridge's session) own the reading.
        await publish(value);
        acknowledged.push(value);
      }
    })();
    await reader.waitUntil(
      () => acknowledged.length > total / 4,
      () => 'publishing stalled',
    );
    await platform.service('mqtt-bridge').kill('SIGKILL');
    await platform.service('stream-processor').kill('SIGKILL');
    await platform.service('mqtt-bridge').restart();
    await platform.service('stream-processor').restart();
    await sending;

    let missing = acknowledged.length;
    await reader.waitUntil(
      async () => {
        const arrived = await decoded('heart_rate_device_topic');
        missing = acknowledged.filter((value) => !arrived.has(readingId(value))).length;
        return missing === 0;
      },
      () =>
        `${missing} of ${acknowledged.length} acknowledged readings missing from heart_rate_device_topic`,
      180_000,
    );
  });
});
