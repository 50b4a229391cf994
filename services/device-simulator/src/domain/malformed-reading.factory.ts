import {
  healthDataFields,
  healthReadingRanges,
  type HealthData,
} from '@realtime-platform/health-domain';
import type { SeededRandom } from './seeded-random.generator.js';

/**
 * The faults a real fleet sends and the bridge must dead-letter: a payload cut short (not JSON),
 * a reading without one of its fields, an implausible value (a broken sensor, Fahrenheit).
 */
export const malformedKinds = ['bad-json', 'missing-field', 'out-of-range'] as const;
export type MalformedKind = (typeof malformedKinds)[number];

/** Implausible substitutions, each outside the health domain's ranges by construction. */
const outOfRange: readonly ((reading: HealthData, random: SeededRandom) => Partial<HealthData>)[] =
  [
    (_, r) => ({ heartRate: healthReadingRanges.heartRate.max + r.integer(1, 200) }),
    (_, r) => ({ heartRate: healthReadingRanges.heartRate.min - r.integer(1, 20) }),
    (_, r) => ({
      oxygenSaturation: healthReadingRanges.oxygenSaturation.max + r.integer(1, 50),
    }),
    // Fahrenheit sent as Celsius: 96.8–100.4 °F.
    (reading) => ({ bodyTemperature: Math.round((reading.bodyTemperature * 1.8 + 32) * 10) / 10 }),
    (_, r) => ({ systolic: healthReadingRanges.systolic.min - r.integer(1, 40) }),
    (_, r) => ({ latitude: healthReadingRanges.latitude.max + r.between(0.5, 90) }),
  ];

/** `reading` as the JSON text of a malformed payload of the given kind. */
export function malformReading(
  reading: HealthData,
  kind: MalformedKind,
  random: SeededRandom,
): string {
  switch (kind) {
    case 'bad-json': {
      // Any proper prefix of a JSON object's text is not JSON (the object never closes).
      const text = JSON.stringify(reading);
      return text.slice(0, random.integer(1, text.length - 1));
    }
    case 'missing-field': {
      const missing = random.pick(healthDataFields);
      const copy: Record<string, unknown> = { ...reading };
      delete copy[missing];
      return JSON.stringify(copy);
    }
    case 'out-of-range':
      return JSON.stringify({ ...reading, ...random.pick(outOfRange)(reading, random) });
  }
}
