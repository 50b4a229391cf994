import { describe, expect, it } from '@jest/globals';
import { vitalTopics } from '@realtime-platform/platform-contract';
import { splitReading } from '@realtime-platform/health-domain';
import { SchemaRegistryClient } from '@realtime-platform/realtime-sdk';
import {
  recordFromVital,
  vitalFromRecord,
  vitalRecordCodec,
} from '../../../src/infrastructure/kafka/vital-record.codec.js';
import { kindOfTopic, topicOfKind } from '../../../src/infrastructure/kafka/vital-topics.js';
import { vitalKinds } from '../../../src/domain/index.js';

const reading = {
  deviceId: 'bed-3',
  timestamp: Date.UTC(2026, 0, 1),
  heartRate: 72,
  systolic: 121,
  diastolic: 79,
  oxygenSaturation: 97,
  bodyTemperature: 36.8,
  latitude: 52.37,
  longitude: 4.89,
};

describe('vital records ↔ vital signs', () => {
  it('maps each vital topic to one kind and back', () => {
    expect(Object.keys(kindOfTopic).sort()).toEqual([...vitalTopics].sort());
    for (const kind of vitalKinds) expect(kindOfTopic[topicOfKind[kind]]).toBe(kind);
  });

  it('reads the four records the stream processing splits a reading into', () => {
    const vitals = splitReading(reading).map((record) =>
      vitalFromRecord(record.topic, record.value),
    );
    expect(vitals.map((v) => [v.kind, v.values])).toEqual([
      ['blood_pressure', { systolic: 121, diastolic: 79 }],
      ['heart_rate', { heartRate: 72 }],
      ['oxygen_saturation', { oxygenSaturation: 97 }],
      ['temperature', { temperature: 36.8 }],
    ]);
    for (const v of vitals) {
      expect(v.recordedAt).toBe(reading.timestamp);
      expect(v.location).toEqual({ latitude: 52.37, longitude: 4.89 });
    }
  });

  it('writes the record it reads', () => {
    for (const record of splitReading(reading)) {
      expect(recordFromVital(vitalFromRecord(record.topic, record.value))).toEqual(record.value);
    }
  });

  it('refuses a record that breaks the vital sign invariants', () => {
    expect(() =>
      vitalFromRecord('heart_rate_device_topic', {
        deviceId: '',
        value: 70,
        latitude: 0,
        longitude: 0,
        createdTime: 1,
      }),
    ).toThrow(/device id/);
  });

  it('also reads JSON values with the same fields (the stream processor in JSON mode), without the registry', async () => {
    const codec = vitalRecordCodec(
      new SchemaRegistryClient({
        url: 'http://127.0.0.1:9',
        fetch: () => Promise.reject(new Error('the registry must not be asked')),
      }),
    );
    const [, heart] = splitReading(reading);
    const bytes = Buffer.from(JSON.stringify(heart?.value));
    const decoded = await codec.decode(bytes, { topic: 'heart_rate_device_topic' });
    expect(vitalFromRecord('heart_rate_device_topic', decoded).values).toEqual({ heartRate: 72 });
    // Thrown at once or rejected: a consumer handles both alike.
    await expect(
      Promise.resolve().then(() =>
        codec.decode(Buffer.from('{not json'), { topic: 'heart_rate_device_topic' }),
      ),
    ).rejects.toMatchObject({ code: 'RTP_ERR_SDK_CODEC_DECODE_FAILED' });
  });
});
