import type { HealthData } from '@realtime-platform/health-domain';
import type { SeededRandom } from './seeded-random.generator.js';

/**
 * Where simulated values stay. Resting adults: heart rate 45–120 bpm outside spikes, blood
 * pressure 90–170 / 55–105 mmHg, SpO2 90–100 %, core temperature 35.8–38.3 °C — all inside the
 * health domain's plausibility ranges, so every reading the model makes is valid.
 */
export const simulatedVitalRanges = {
  heartRate: { min: 45, max: 120 },
  /** A spike: tachycardia an alert rule should catch (abnormal, yet plausible data). */
  heartRateSpike: { min: 130, max: 190 },
  systolic: { min: 90, max: 170 },
  diastolic: { min: 55, max: 105 },
  /** Systolic stays at least this far above diastolic (pulse pressure). */
  minPulsePressure: 20,
  oxygenSaturation: { min: 90, max: 100 },
  bodyTemperature: { min: 35.8, max: 38.3 },
} as const;

/** Homes of the simulated wearers: a few cities, each device a few kilometres around one. */
const cities: readonly (readonly [number, number])[] = [
  [52.52, 13.405], // Berlin
  [48.137, 11.575], // Munich
  [53.551, 9.993], // Hamburg
  [50.938, 6.96], // Cologne
  [48.208, 16.373], // Vienna
  [47.377, 8.541], // Zurich
  [52.37, 4.895], // Amsterdam
  [48.857, 2.352], // Paris
  [51.507, -0.128], // London
  [40.713, -74.006], // New York
  [42.36, -71.059], // Boston
  [43.653, -79.383], // Toronto
];

const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, value));
const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export interface DeviceVitalsOptions {
  /** Chance per reading that a heart-rate spike starts (when none is running). */
  readonly heartRateSpikeRatio: number;
}

/**
 * One simulated wearer: a per-device baseline (drawn from the device's own seeded generator) and
 * vitals that drift around it as mean-reverting random walks (Ornstein–Uhlenbeck steps), so
 * consecutive readings differ a little and never run away. Occasionally the heart rate spikes to
 * 130–190 bpm for 5–20 readings and then settles back. Location walks a few metres per reading.
 */
export class DeviceVitals {
  readonly baseline: {
    readonly heartRate: number;
    readonly systolic: number;
    readonly diastolic: number;
    readonly oxygenSaturation: number;
    readonly bodyTemperature: number;
    readonly latitude: number;
    readonly longitude: number;
  };
  private heartRate: number;
  private systolic: number;
  private diastolic: number;
  private oxygenSaturation: number;
  private bodyTemperature: number;
  private latitude: number;
  private longitude: number;
  private spike: { target: number; remaining: number } | undefined;
  private lastTimestamp = 0;

  constructor(
    readonly deviceId: string,
    private readonly random: SeededRandom,
    private readonly options: DeviceVitalsOptions,
  ) {
    const r = random;
    const systolic = clamp(r.normal(118, 9), 100, 145);
    const [cityLatitude, cityLongitude] = r.pick(cities);
    this.baseline = {
      heartRate: clamp(r.normal(72, 7), 55, 95),
      systolic,
      diastolic: clamp(r.normal(77, 6), 62, systolic - 28),
      oxygenSaturation: r.between(95.5, 99),
      bodyTemperature: clamp(r.normal(36.8, 0.2), 36.2, 37.3),
      latitude: cityLatitude + r.between(-0.05, 0.05),
      longitude: cityLongitude + r.between(-0.05, 0.05),
    };
    this.heartRate = this.baseline.heartRate;
    this.systolic = this.baseline.systolic;
    this.diastolic = this.baseline.diastolic;
    this.oxygenSaturation = this.baseline.oxygenSaturation;
    this.bodyTemperature = this.baseline.bodyTemperature;
    this.latitude = this.baseline.latitude;
    this.longitude = this.baseline.longitude;
  }

  /** True while a heart-rate spike runs. */
  get spiking(): boolean {
    return this.spike !== undefined;
  }

  /**
   * The next reading at `now` (epoch ms). Timestamps of one device strictly increase, so
   * (deviceId, timestamp) identifies a reading even when a device sends twice in a millisecond.
   */
  next(now: number): HealthData {
    const r = this.random;
    const ranges = simulatedVitalRanges;
    if (this.spike === undefined && r.chance(this.options.heartRateSpikeRatio)) {
      this.spike = {
        target: r.between(ranges.heartRateSpike.min, ranges.heartRateSpike.max),
        remaining: r.integer(5, 20),
      };
    }
    const spike = this.spike;
    if (spike !== undefined) {
      this.heartRate += 0.35 * (spike.target - this.heartRate) + r.normal(0, 2);
      spike.remaining -= 1;
      if (spike.remaining <= 0) this.spike = undefined;
      this.heartRate = clamp(this.heartRate, ranges.heartRate.min, ranges.heartRateSpike.max);
    } else {
      this.heartRate += 0.08 * (this.baseline.heartRate - this.heartRate) + r.normal(0, 1.2);
      // After a spike the rate comes down by itself (mean reversion); only then is it clamped.
      if (this.heartRate <= ranges.heartRate.max) {
        this.heartRate = clamp(this.heartRate, ranges.heartRate.min, ranges.heartRate.max);
      }
    }
    this.systolic += 0.05 * (this.baseline.systolic - this.systolic) + r.normal(0, 1);
    this.systolic = clamp(this.systolic, ranges.systolic.min, ranges.systolic.max);
    this.diastolic += 0.05 * (this.baseline.diastolic - this.diastolic) + r.normal(0, 0.8);
    this.diastolic = clamp(this.diastolic, ranges.diastolic.min, ranges.diastolic.max);
    this.oxygenSaturation +=
      0.1 * (this.baseline.oxygenSaturation - this.oxygenSaturation) + r.normal(0, 0.35);
    this.oxygenSaturation = clamp(
      this.oxygenSaturation,
      ranges.oxygenSaturation.min,
      ranges.oxygenSaturation.max,
    );
    this.bodyTemperature +=
      0.02 * (this.baseline.bodyTemperature - this.bodyTemperature) + r.normal(0, 0.01);
    this.bodyTemperature = clamp(
      this.bodyTemperature,
      ranges.bodyTemperature.min,
      ranges.bodyTemperature.max,
    );
    // A few metres per reading, drawn back towards home.
    this.latitude += 0.01 * (this.baseline.latitude - this.latitude) + r.normal(0, 0.00004);
    this.longitude += 0.01 * (this.baseline.longitude - this.longitude) + r.normal(0, 0.00006);

    const diastolic = Math.round(this.diastolic);
    const systolic = Math.max(Math.round(this.systolic), diastolic + ranges.minPulsePressure);
    const timestamp = Math.max(Math.floor(now), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    return {
      deviceId: this.deviceId,
      timestamp,
      heartRate: Math.round(this.heartRate),
      systolic,
      diastolic,
      oxygenSaturation: Math.round(this.oxygenSaturation),
      bodyTemperature: round(this.bodyTemperature, 2),
      latitude: round(this.latitude, 6),
      longitude: round(this.longitude, 6),
    };
  }
}
