import { describe, expect, it } from '@jest/globals';
import { deviceDataTopic, dlqTopicName, vitalTopics } from '@realtime-platform/platform-contract';
import {
  deviceDataDlqTopic,
  deviceDataTopicSchema,
  healthDataSchema,
  splitReading,
  vitalTopicSchemas,
} from '../src/index.js';
import { avroTypeOf, validReading } from './avro.fixture.js';

describe('vitalTopicSchemas', () => {
  it('maps every contract vital topic, and only those, to a schema', () => {
    expect(Object.keys(vitalTopicSchemas).sort()).toEqual([...vitalTopics].sort());
  });

  it('pairs each topic with the schema of its own vital', () => {
    const names = Object.fromEntries(
      Object.entries(vitalTopicSchemas).map(([topic, schema]) => [topic, schema.name]),
    );
    expect(names).toEqual({
      blood_pressure_device_topic: 'BloodPressure',
      heart_rate_device_topic: 'HeartRate',
      oxygen_saturation_device_topic: 'OxygenSaturation',
      temperature_device_topic: 'Temperature',
    });
  });

  it('names the input topic, its schema and its DLQ from the contract', () => {
    expect(deviceDataTopicSchema).toEqual({ topic: deviceDataTopic, schema: healthDataSchema });
    expect(deviceDataDlqTopic).toBe(dlqTopicName(deviceDataTopic));
  });
});

describe('splitReading', () => {
  const records = splitReading(validReading);
  const byTopic = Object.fromEntries(records.map((r) => [r.topic, r]));

  it('produces one record per vital topic, in contract order, keyed by deviceId', () => {
    expect(records.map((r) => r.topic)).toEqual([...vitalTopics]);
    for (const record of records) expect(record.key).toBe(validReading.deviceId);
  });

  it('writes blood pressure exactly as the SQL selects it', () => {
    expect(byTopic['blood_pressure_device_topic']?.value).toStrictEqual({
      deviceId: 'device-0001',
      systolic: 120,
      diastolic: 80,
      latitude: 52.5200066,
      longitude: 13.404954,
      createdTime: 1_732_600_000_123,
    });
  });

  it('writes heart rate, oxygen saturation and temperature as `value` plus location and createdTime', () => {
    const common = {
      deviceId: 'device-0001',
      latitude: 52.5200066,
      longitude: 13.404954,
      createdTime: 1_732_600_000_123,
    };
    expect(byTopic['heart_rate_device_topic']?.value).toStrictEqual({ ...common, value: 72 });
    expect(byTopic['oxygen_saturation_device_topic']?.value).toStrictEqual({
      ...common,
      value: 98,
    });
    expect(byTopic['temperature_device_topic']?.value).toStrictEqual({ ...common, value: 36.8 });
  });

  it("produces values whose fields are exactly their topic schema's fields, and that encode and round-trip", () => {
    for (const { topic, value } of records) {
      const schema = vitalTopicSchemas[topic];
      expect(Object.keys(value)).toEqual(schema.fields.map((f) => f.name));
      const type = avroTypeOf(schema);
      expect(type.isValid(value)).toBe(true);
      expect(type.fromBuffer(type.toBuffer(value))).toEqual(value);
    }
  });

  it('is pure: the same reading gives equal records and the reading is untouched', () => {
    const copy = { ...validReading };
    expect(splitReading(validReading)).toEqual(records);
    expect(validReading).toEqual(copy);
  });
});
