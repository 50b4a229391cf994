import type { HealthDataField } from './health-data.schema.js';

export interface ReadingRange {
  /** Inclusive. */
  readonly min: number;
  /** Inclusive. */
  readonly max: number;
  readonly unit: string;
}

/** Device ids are Kafka keys: bounded so a hostile payload cannot inflate every vital topic's keys. */
export const deviceIdMaxLength = 128;

/**
 * The safe character set of a device id: ASCII letters and digits, then also `.`, `_`, `:`, `-`
 * (a letter or digit first). Device ids become Kafka keys, MQTT topic levels, URL path segments,
 * log fields and dashboard labels, so confusable (Cyrillic "а" for Latin "a"), right-to-left,
 * zero-width, control and MQTT wildcard characters (`/ + #`) are refused: two devices must never
 * look the same to a nurse, and an id must never change how a topic or a path is read.
 */
export const deviceIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * How far in the future a reading's timestamp may be (device clock drift): 5 minutes. A reading
 * stamped later would sit "latest" on a dashboard and hide the real values until that time comes.
 */
export const defaultMaxFutureSkewMs = 5 * 60_000;

/**
 * Plausibility bounds, not clinical alarm limits: a value outside them is a sensor or encoding
 * fault (wrong unit, swapped fields, garbage), so it goes to the DLQ instead of the vital topics.
 * Alerting on abnormal-but-possible values (e.g. heart rate 180) is the consumers' job.
 *
 * - timestamp: epoch **milliseconds** from 2000-01-01T00:00:00Z (946684800000) — an epoch in
 *   seconds (~1.7e9) falls below and is caught — to 8.64e15, the largest valid JS `Date`.
 * - heartRate 20–300 bpm: recorded adult extremes are mid-20s (athletic bradycardia) and ~300
 *   (ventricular tachyarrhythmia); outside, optical/ECG sensors are reporting noise.
 * - systolic 50–300, diastolic 20–200 mmHg, and systolic > diastolic: beyond these limits an
 *   oscillometric cuff cannot read; systolic ≤ diastolic means swapped or broken fields.
 * - oxygenSaturation 50–100 %: 100 is the physical maximum; pulse oximeters are calibrated
 *   down to about 70 % and below 50 % the reading is meaningless.
 * - bodyTemperature 25–45 °C: core temperatures outside are incompatible with a wearer
 *   producing readings, and catch Fahrenheit (e.g. 98.6) sent by mistake.
 * - latitude −90..90, longitude −180..180: WGS84 degrees.
 */
export const healthReadingRanges: Readonly<
  Record<Exclude<HealthDataField, 'deviceId'>, ReadingRange>
> = {
  timestamp: { min: 946_684_800_000, max: 8_640_000_000_000_000, unit: 'ms since epoch' },
  heartRate: { min: 20, max: 300, unit: 'bpm' },
  systolic: { min: 50, max: 300, unit: 'mmHg' },
  diastolic: { min: 20, max: 200, unit: 'mmHg' },
  oxygenSaturation: { min: 50, max: 100, unit: '%' },
  bodyTemperature: { min: 25, max: 45, unit: '°C' },
  latitude: { min: -90, max: 90, unit: '°' },
  longitude: { min: -180, max: 180, unit: '°' },
};
