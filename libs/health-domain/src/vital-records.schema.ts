import type { AvroRecordSchema } from './avro-record.schema.js';

/*
 * The four records the requirements' Lenses SQL derives from `device_data`. Field names and order
 * are the SQL's SELECT lists; types follow the source fields of `HealthData` (`timestamp AS
 * createdTime` stays a `long`). The SQL does not name the records, so this package names them
 * `com.example.<Vital>` — the namespace of `HealthData`, the subject in PascalCase.
 */

/** `blood_pressure_device_topic`: `deviceId, systolic, diastolic, latitude, longitude, createdTime`. */
export const bloodPressureSchema = {
  type: 'record',
  name: 'BloodPressure',
  namespace: 'com.example',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'systolic', type: 'int' },
    { name: 'diastolic', type: 'int' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
    { name: 'createdTime', type: 'long' },
  ],
} as const satisfies AvroRecordSchema;

/** `heart_rate_device_topic`: `deviceId, value (heartRate), latitude, longitude, createdTime`. */
export const heartRateSchema = {
  type: 'record',
  name: 'HeartRate',
  namespace: 'com.example',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'value', type: 'int' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
    { name: 'createdTime', type: 'long' },
  ],
} as const satisfies AvroRecordSchema;

/** `oxygen_saturation_device_topic`: heart rate's pattern, `value` = oxygenSaturation (int). */
export const oxygenSaturationSchema = {
  type: 'record',
  name: 'OxygenSaturation',
  namespace: 'com.example',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'value', type: 'int' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
    { name: 'createdTime', type: 'long' },
  ],
} as const satisfies AvroRecordSchema;

/** `temperature_device_topic`: heart rate's pattern, `value` = bodyTemperature (double). */
export const temperatureSchema = {
  type: 'record',
  name: 'Temperature',
  namespace: 'com.example',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'value', type: 'double' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
    { name: 'createdTime', type: 'long' },
  ],
} as const satisfies AvroRecordSchema;

export interface BloodPressureRecord {
  readonly deviceId: string;
  readonly systolic: number;
  readonly diastolic: number;
  readonly latitude: number;
  readonly longitude: number;
  /** The reading's `timestamp`, epoch milliseconds. */
  readonly createdTime: number;
}

/** Heart rate, oxygen saturation and temperature share one shape: a single `value`. */
export interface SingleValueVitalRecord {
  readonly deviceId: string;
  readonly value: number;
  readonly latitude: number;
  readonly longitude: number;
  /** The reading's `timestamp`, epoch milliseconds. */
  readonly createdTime: number;
}

export type HeartRateRecord = SingleValueVitalRecord;
export type OxygenSaturationRecord = SingleValueVitalRecord;
export type TemperatureRecord = SingleValueVitalRecord;
