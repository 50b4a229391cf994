import type { HealthData } from '@realtime-platform/health-domain';

/** A plausible reading; `overrides` replace fields (use `undefined` values to test absence). */
export function reading(overrides: Partial<HealthData> = {}): HealthData {
  return {
    deviceId: 'device-1',
    timestamp: 1_767_225_600_000,
    heartRate: 72,
    systolic: 120,
    diastolic: 80,
    oxygenSaturation: 98,
    bodyTemperature: 36.8,
    latitude: 52.52,
    longitude: 13.405,
    ...overrides,
  };
}

export const payloadOf = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** The id of a reading in these tests: a device never sends two readings with one timestamp. */
export const readingId = (value: { deviceId: string; timestamp: number }): string =>
  `${value.deviceId}@${value.timestamp}`;
