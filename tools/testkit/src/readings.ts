// The readings the pipeline services' tests send: one plausible reading, a fleet's n-th reading,
// its wire payload and its identity. Written once here (issue 18); health-domain knows nothing of
// tests, so the arrow points one way: testkit → health-domain.
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

/** The `n`-th reading of a fleet of `devices`: slowly varying vitals, a unique timestamp per device. */
export function fleetReading(n: number, devices = 7, base = 1_767_225_600_000): HealthData {
  const device = n % devices;
  return reading({
    deviceId: `device-${device}`,
    timestamp: base + n,
    heartRate: 60 + (n % 40),
    systolic: 110 + (n % 30),
    diastolic: 70 + (n % 15),
    oxygenSaturation: 92 + (n % 8),
    bodyTemperature: 36 + (n % 20) / 10,
    latitude: 52.5 + device / 100,
    longitude: 13.4 - device / 100,
  });
}

/** A value as the wire carries it: its JSON, as bytes. */
export const payloadOf = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/**
 * Identifies a reading (and every record split from it, which carries its time as `createdTime`):
 * a device never sends two readings with one timestamp.
 */
export const readingId = (value: {
  deviceId: string;
  timestamp?: number;
  createdTime?: number;
}): string => `${value.deviceId}@${value.timestamp ?? value.createdTime}`;
