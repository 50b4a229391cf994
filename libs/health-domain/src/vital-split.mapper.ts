import { deviceDataTopic, dlqTopicName, vitalTopics } from '@realtime-platform/platform-contract';
import type { AvroRecordSchema } from './avro-record.schema.js';
import { healthDataSchema, type HealthData } from './health-data.schema.js';
import {
  bloodPressureSchema,
  heartRateSchema,
  oxygenSaturationSchema,
  temperatureSchema,
  type BloodPressureRecord,
  type HeartRateRecord,
  type OxygenSaturationRecord,
  type TemperatureRecord,
} from './vital-records.schema.js';

export type VitalTopic = (typeof vitalTopics)[number];

/*
 * Topic names come from the contract, never re-typed here. Each is picked by position and pinned
 * by its type: if the contract reorders `vitalTopics`, these assignments stop compiling.
 */
const bloodPressureTopic: Extract<VitalTopic, `blood_pressure_${string}`> = vitalTopics[0];
const heartRateTopic: Extract<VitalTopic, `heart_rate_${string}`> = vitalTopics[1];
const oxygenSaturationTopic: Extract<VitalTopic, `oxygen_saturation_${string}`> = vitalTopics[2];
const temperatureTopic: Extract<VitalTopic, `temperature_${string}`> = vitalTopics[3];

/** The input topic and its value schema (`com.example.HealthData`). */
export const deviceDataTopicSchema = {
  topic: deviceDataTopic,
  schema: healthDataSchema,
} as const;

/** Where readings that fail `validateReading`/`parseReading` go: `device_data.dlq`. */
export const deviceDataDlqTopic = dlqTopicName(deviceDataTopic);

/** Each vital topic's value schema. Keys are always the deviceId as a plain STRING. */
export const vitalTopicSchemas: Readonly<Record<VitalTopic, AvroRecordSchema>> = {
  [bloodPressureTopic]: bloodPressureSchema,
  [heartRateTopic]: heartRateSchema,
  [oxygenSaturationTopic]: oxygenSaturationSchema,
  [temperatureTopic]: temperatureSchema,
};

export type VitalRecord =
  | {
      readonly topic: typeof bloodPressureTopic;
      readonly key: string;
      readonly value: BloodPressureRecord;
    }
  | { readonly topic: typeof heartRateTopic; readonly key: string; readonly value: HeartRateRecord }
  | {
      readonly topic: typeof oxygenSaturationTopic;
      readonly key: string;
      readonly value: OxygenSaturationRecord;
    }
  | {
      readonly topic: typeof temperatureTopic;
      readonly key: string;
      readonly value: TemperatureRecord;
    };

/**
 * The four records the requirements' Lenses SQL statements produce from one `device_data` value,
 * in `vitalTopics` order: `_key = deviceId` (STRING), `createdTime = timestamp`, and for the
 * single-value vitals `value = heartRate | oxygenSaturation | bodyTemperature`. Pure: no I/O,
 * no clock; expects a reading that passed `validateReading`.
 */
export function splitReading(reading: HealthData): readonly VitalRecord[] {
  const { deviceId, latitude, longitude, timestamp: createdTime } = reading;
  return [
    {
      topic: bloodPressureTopic,
      key: deviceId,
      value: {
        deviceId,
        systolic: reading.systolic,
        diastolic: reading.diastolic,
        latitude,
        longitude,
        createdTime,
      },
    },
    {
      topic: heartRateTopic,
      key: deviceId,
      value: { deviceId, value: reading.heartRate, latitude, longitude, createdTime },
    },
    {
      topic: oxygenSaturationTopic,
      key: deviceId,
      value: { deviceId, value: reading.oxygenSaturation, latitude, longitude, createdTime },
    },
    {
      topic: temperatureTopic,
      key: deviceId,
      value: { deviceId, value: reading.bodyTemperature, latitude, longitude, createdTime },
    },
  ];
}
