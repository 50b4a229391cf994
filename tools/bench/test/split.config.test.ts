import { describe, expect, it } from '@jest/globals';
import { vitalTopics } from '@realtime-platform/platform-contract';
import { splitConfig } from '../src/split.config.js';

describe('splitConfig', () => {
  it('should give the Kafka Streams baseline the SELECT lists of the health domain, topic by topic', () => {
    const { vitals } = splitConfig();
    expect(vitals.map((vital) => vital.topic)).toEqual([...vitalTopics]);
    const where = { latitude: 'latitude', longitude: 'longitude', createdTime: 'timestamp' };
    expect(vitals.map((vital) => vital.select)).toEqual([
      { deviceId: 'deviceId', systolic: 'systolic', diastolic: 'diastolic', ...where },
      { deviceId: 'deviceId', value: 'heartRate', ...where },
      { deviceId: 'deviceId', value: 'oxygenSaturation', ...where },
      { deviceId: 'deviceId', value: 'bodyTemperature', ...where },
    ]);
    // Output field order is the schema's field order.
    for (const vital of vitals) {
      const schema = vital.schema as { fields: { name: string }[] };
      expect(Object.keys(vital.select)).toEqual(schema.fields.map((field) => field.name));
    }
  });

  it('should carry the validation ranges', () => {
    const { ranges } = splitConfig();
    expect(ranges.deviceIdMaxLength).toBe(128);
    expect(ranges.fields.heartRate).toEqual({ min: 20, max: 300 });
    expect(Object.keys(ranges.fields)).toHaveLength(8);
  });
});
