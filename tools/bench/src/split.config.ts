import {
  deviceIdMaxLength,
  healthDataFields,
  healthReadingRanges,
  splitReading,
  vitalTopicSchemas,
  type HealthData,
} from '@realtime-platform/health-domain';

/**
 * What the Kafka Streams baseline must do, taken from the health domain so both splitters do the
 * same work: per vital topic its Avro schema and its SELECT list (output field → input field),
 * plus the plausibility ranges of the validation.
 */
export interface SplitConfig {
  readonly vitals: readonly {
    readonly topic: string;
    readonly schema: unknown;
    readonly select: Readonly<Record<string, string>>;
  }[];
  readonly ranges: {
    readonly deviceIdMaxLength: number;
    readonly fields: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  };
}

/** A reading whose fields all differ, so each output field's source field is unambiguous. */
const probe: HealthData = {
  deviceId: 'probe-device',
  timestamp: 1_000_000_000_001,
  heartRate: 2,
  systolic: 3,
  diastolic: 4,
  oxygenSaturation: 5,
  bodyTemperature: 6.5,
  latitude: 7.5,
  longitude: 8.5,
};

export function splitConfig(): SplitConfig {
  const sourceOf = (value: unknown): string => {
    const field = healthDataFields.find((name) => probe[name] === value);
    if (field === undefined) throw new Error(`no input field holds ${String(value)}`);
    return field;
  };
  return {
    vitals: splitReading(probe).map((record) => ({
      topic: record.topic,
      schema: vitalTopicSchemas[record.topic],
      select: Object.fromEntries(
        Object.entries(record.value).map(([output, value]) => [output, sourceOf(value)]),
      ),
    })),
    ranges: {
      deviceIdMaxLength,
      fields: Object.fromEntries(
        Object.entries(healthReadingRanges).map(([field, { min, max }]) => [field, { min, max }]),
      ),
    },
  };
}
