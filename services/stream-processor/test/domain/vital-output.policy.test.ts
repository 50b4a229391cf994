import { describe, expect, it } from '@jest/globals';
import { vitalTopics } from '@realtime-platform/platform-contract';
import { vitalOutputsOf } from '../../src/domain/vital-output.policy.js';
import { reading } from '@realtime-platform/testkit';

describe('vitalOutputsOf', () => {
  it('should give one record per vital topic, keyed by deviceId, with the SELECT lists of the Lenses SQL', () => {
    const outputs = vitalOutputsOf(reading({ deviceId: 'cuff-7', timestamp: 1_767_225_601_234 }), {
      timestamp: 1_767_225_609_999,
      headers: {},
    });
    expect(outputs.map((output) => output.topic)).toEqual([...vitalTopics]);
    for (const output of outputs) expect(output.key).toBe('cuff-7');
    const [bloodPressure, heartRate, oxygen, temperature] = outputs;
    const where = { latitude: 52.52, longitude: 13.405, createdTime: 1_767_225_601_234 };
    expect(bloodPressure?.value).toEqual({
      deviceId: 'cuff-7',
      systolic: 120,
      diastolic: 80,
      ...where,
    });
    expect(heartRate?.value).toEqual({ deviceId: 'cuff-7', value: 72, ...where });
    expect(oxygen?.value).toEqual({ deviceId: 'cuff-7', value: 98, ...where });
    expect(temperature?.value).toEqual({ deviceId: 'cuff-7', value: 36.8, ...where });
    // Field order is the SELECT order (JSON output and Avro both follow it).
    expect(Object.keys(bloodPressure?.value ?? {})).toEqual([
      'deviceId',
      'systolic',
      'diastolic',
      'latitude',
      'longitude',
      'createdTime',
    ]);
  });

  it('should forward the input record timestamp and headers (Kafka Streams semantics), while createdTime stays the reading time', () => {
    const headers = { traceparent: '00-abc-def-01' };
    const outputs = vitalOutputsOf(reading({ timestamp: 1_767_225_600_000 }), {
      timestamp: 1_767_225_700_000,
      headers,
    });
    for (const output of outputs) {
      expect(output.timestamp).toBe(1_767_225_700_000);
      expect(output.headers).toEqual(headers);
      expect(output.value.createdTime).toBe(1_767_225_600_000);
    }
  });
});
