import type { HealthData } from '@realtime-platform/health-domain';

/**
 * A valid reading; `sequence` makes (deviceId, timestamp) unique, the identity the tests count
 * (testkit's readingId).
 */
export function reading(
  deviceId: string,
  sequence: number,
  overrides: Partial<HealthData> = {},
): HealthData {
  return {
    deviceId,
    timestamp: 1_764_000_000_000 + sequence,
    heartRate: 60 + (sequence % 40),
    systolic: 110 + (sequence % 20),
    diastolic: 70 + (sequence % 15),
    oxygenSaturation: 94 + (sequence % 6),
    bodyTemperature: 36.5 + (sequence % 10) / 10,
    latitude: 52.37 + sequence / 1e6,
    longitude: 4.89 - sequence / 1e6,
    ...overrides,
  };
}
