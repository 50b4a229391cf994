import type { AvroRecordSchema } from './avro-record.schema.js';

/**
 * The `device_data` value, exactly as the requirements' "Health Data Avro Schema" writes it:
 * `com.example.HealthData`. Field order is the Avro binary order — do not reorder.
 */
export const healthDataSchema = {
  type: 'record',
  name: 'HealthData',
  namespace: 'com.example',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'timestamp', type: 'long' },
    { name: 'heartRate', type: 'int' },
    { name: 'systolic', type: 'int' },
    { name: 'diastolic', type: 'int' },
    { name: 'oxygenSaturation', type: 'int' },
    { name: 'bodyTemperature', type: 'double' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
  ],
} as const satisfies AvroRecordSchema;

/** One device reading (`com.example.HealthData`). */
export interface HealthData {
  /** Also the Kafka key of `device_data` and of every vital topic. */
  readonly deviceId: string;
  /** Epoch milliseconds (Avro `long`). */
  readonly timestamp: number;
  /** Beats per minute (Avro `int`). */
  readonly heartRate: number;
  /** mmHg (Avro `int`). */
  readonly systolic: number;
  /** mmHg (Avro `int`). */
  readonly diastolic: number;
  /** SpO2 in percent (Avro `int`). */
  readonly oxygenSaturation: number;
  /** Degrees Celsius (Avro `double`). */
  readonly bodyTemperature: number;
  /** WGS84 degrees (Avro `double`). */
  readonly latitude: number;
  /** WGS84 degrees (Avro `double`). */
  readonly longitude: number;
}

export type HealthDataField = (typeof healthDataSchema.fields)[number]['name'];

/** The field names of `HealthData`, in schema order. */
export const healthDataFields: readonly HealthDataField[] = healthDataSchema.fields.map(
  (field) => field.name,
);
