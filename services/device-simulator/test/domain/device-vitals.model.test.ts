import { describe, expect, it } from '@jest/globals';
import { validateReading, type HealthData } from '@realtime-platform/health-domain';
import { DeviceVitals, simulatedVitalRanges } from '../../src/domain/device-vitals.model.js';
import { SeededRandom } from '../../src/domain/seeded-random.generator.js';

const start = 1_767_225_600_000;

function run(seed: number, count: number, heartRateSpikeRatio = 0): HealthData[] {
  const device = new DeviceVitals('d1', new SeededRandom(seed, 1), { heartRateSpikeRatio });
  return Array.from({ length: count }, (_, i) => device.next(start + i * 1000));
}

const ranges = simulatedVitalRanges;

describe('DeviceVitals', () => {
  it('should make only valid readings within physiological ranges', () => {
    const outside = (reading: HealthData): boolean =>
      !validateReading(reading).ok ||
      reading.heartRate < ranges.heartRate.min ||
      reading.heartRate > ranges.heartRateSpike.max ||
      reading.systolic - reading.diastolic < ranges.minPulsePressure ||
      reading.systolic > ranges.systolic.max + ranges.minPulsePressure ||
      reading.oxygenSaturation < ranges.oxygenSaturation.min ||
      reading.oxygenSaturation > 100 ||
      reading.bodyTemperature < ranges.bodyTemperature.min ||
      reading.bodyTemperature > ranges.bodyTemperature.max;
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(run(seed, 5000, 0.01).filter(outside)).toEqual([]);
    }
  });

  it('should vary slowly from one reading to the next (no spikes)', () => {
    const readings = run(7, 10_000);
    const maxStep = (pick: (r: HealthData) => number): number =>
      Math.max(
        ...readings.slice(1).map((r, i) => Math.abs(pick(r) - pick(readings[i] as HealthData))),
      );
    expect(maxStep((r) => r.heartRate)).toBeLessThanOrEqual(8);
    expect(maxStep((r) => r.systolic)).toBeLessThanOrEqual(7);
    expect(maxStep((r) => r.diastolic)).toBeLessThanOrEqual(6);
    expect(maxStep((r) => r.oxygenSaturation)).toBeLessThanOrEqual(2);
    expect(maxStep((r) => r.bodyTemperature)).toBeLessThanOrEqual(0.06);
    // A few metres per reading.
    expect(maxStep((r) => r.latitude)).toBeLessThan(0.0005);
    expect(maxStep((r) => r.longitude)).toBeLessThan(0.0005);
  });

  it('should vary: the values are not constant', () => {
    const readings = run(9, 1000);
    expect(new Set(readings.map((r) => r.heartRate)).size).toBeGreaterThan(5);
    expect(new Set(readings.map((r) => r.bodyTemperature)).size).toBeGreaterThan(5);
  });

  it('should keep the heart rate at or below 120 bpm without spikes', () => {
    expect(Math.max(...run(11, 20_000).map((r) => r.heartRate))).toBeLessThanOrEqual(120);
  });

  it('should spike the heart rate to 130-190 bpm now and then, and settle back', () => {
    const readings = run(13, 20_000, 0.005);
    const spiking = readings.filter((r) => r.heartRate >= 130);
    expect(spiking.length).toBeGreaterThan(0);
    expect(Math.max(...spiking.map((r) => r.heartRate))).toBeLessThanOrEqual(190);
    // Most of the time the wearer is at rest.
    expect(readings.filter((r) => r.heartRate <= 120).length / readings.length).toBeGreaterThan(
      0.8,
    );
    expect((readings.at(-1) as HealthData).heartRate).toBeLessThan(180);
  });

  it('should give each device its own baseline', () => {
    const baselines = [1, 2, 3, 4, 5, 6].map(
      (index) =>
        new DeviceVitals(`d${index}`, new SeededRandom(1, index), { heartRateSpikeRatio: 0 })
          .baseline.heartRate,
    );
    expect(new Set(baselines.map((value) => Math.round(value))).size).toBeGreaterThan(3);
  });

  it('should give strictly increasing timestamps, even within one millisecond', () => {
    const device = new DeviceVitals('d1', new SeededRandom(1, 1), { heartRateSpikeRatio: 0 });
    const timestamps = [start, start, start, start - 5, start + 10].map(
      (now) => device.next(now).timestamp,
    );
    expect(timestamps).toEqual([start, start + 1, start + 2, start + 3, start + 10]);
  });
});
