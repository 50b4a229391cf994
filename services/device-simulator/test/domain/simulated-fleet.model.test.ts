import { describe, expect, it } from '@jest/globals';
import { healthErrors, parseReading } from '@realtime-platform/health-domain';
import type { MalformedKind } from '../../src/domain/malformed-reading.factory.js';
import {
  SimulatedFleet,
  type FleetOptions,
  type SimulatedReading,
} from '../../src/domain/simulated-fleet.model.js';

const options: FleetOptions = {
  devices: 25,
  seed: 7,
  deviceIdPrefix: 'sim-',
  malformedRatio: 0,
  heartRateSpikeRatio: 0.001,
};

function readings(fleetOptions: FleetOptions, count: number): SimulatedReading[] {
  const fleet = new SimulatedFleet(fleetOptions);
  return Array.from({ length: count }, (_, i) => fleet.next(1_767_225_600_000 + i));
}

const codeOf: Record<MalformedKind, string> = {
  'bad-json': healthErrors.PAYLOAD_MALFORMED_JSON.code,
  'missing-field': healthErrors.FIELD_MISSING.code,
  'out-of-range': healthErrors.FIELD_OUT_OF_RANGE.code,
};

describe('SimulatedFleet', () => {
  it('should be deterministic: same seed and clock, same payloads', () => {
    const withFaults = { ...options, malformedRatio: 0.2 };
    expect(readings(withFaults, 2000)).toEqual(readings(withFaults, 2000));
  });

  it('should differ with another seed', () => {
    const a = readings(options, 200).map((r) => r.payload);
    const b = readings({ ...options, seed: 8 }, 200).map((r) => r.payload);
    expect(a).not.toEqual(b);
  });

  it('should let the devices take turns, with zero-padded ids', () => {
    const ids = readings(options, 50).map((r) => r.deviceId);
    expect(new Set(ids.slice(0, 25)).size).toBe(25);
    expect(ids.slice(25)).toEqual(ids.slice(0, 25));
    expect(ids[0]).toBe('sim-00001');
    expect(ids[24]).toBe('sim-00025');
  });

  it('should send only valid HealthData JSON without faults', () => {
    const rejected = readings(options, 5000).filter((reading) => {
      const parsed = parseReading(reading.payload);
      return (
        !parsed.ok ||
        parsed.reading.deviceId !== reading.deviceId ||
        parsed.reading.timestamp !== reading.timestamp
      );
    });
    expect(rejected).toEqual([]);
  });

  it('should malform the asked share of readings, each the way it says, all rejected by the validation', () => {
    const all = readings({ ...options, malformedRatio: 0.1 }, 20_000);
    const malformed = all.filter((r) => r.malformed !== undefined);
    expect(malformed.length / all.length).toBeGreaterThan(0.09);
    expect(malformed.length / all.length).toBeLessThan(0.11);
    const kinds = new Map<MalformedKind, number>();
    const wrong: SimulatedReading[] = [];
    for (const reading of all) {
      const parsed = parseReading(reading.payload);
      if (reading.malformed === undefined) {
        if (!parsed.ok) wrong.push(reading);
        continue;
      }
      kinds.set(reading.malformed, (kinds.get(reading.malformed) ?? 0) + 1);
      if (parsed.ok || parsed.reasonCode !== codeOf[reading.malformed]) wrong.push(reading);
    }
    expect(wrong).toEqual([]);
    // Every kind occurs, about equally often.
    for (const count of kinds.values()) expect(count / malformed.length).toBeGreaterThan(0.25);
    expect(kinds.size).toBe(3);
  });
});
