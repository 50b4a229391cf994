export {
  avroFullName,
  type AvroField,
  type AvroPrimitiveType,
  type AvroRecordSchema,
} from './avro-record.schema.js';
export {
  healthDataFields,
  healthDataSchema,
  type HealthData,
  type HealthDataField,
} from './health-data.schema.js';
export {
  bloodPressureSchema,
  heartRateSchema,
  oxygenSaturationSchema,
  temperatureSchema,
  type BloodPressureRecord,
  type HeartRateRecord,
  type OxygenSaturationRecord,
  type SingleValueVitalRecord,
  type TemperatureRecord,
} from './vital-records.schema.js';
export {
  deviceDataDlqTopic,
  deviceDataTopicSchema,
  splitReading,
  vitalTopicSchemas,
  type VitalRecord,
  type VitalTopic,
} from './vital-split.mapper.js';
export { healthErrors } from './health.errors.js';
export {
  defaultMaxFutureSkewMs,
  deviceIdMaxLength,
  deviceIdPattern,
  healthReadingRanges,
  type ReadingRange,
} from './health-reading.rules.js';
export {
  validateReading,
  type InvalidReading,
  type ReadingValidation,
  type ReadingValidationOptions,
  type ValidReading,
} from './health-reading.validator.js';
export { parseReading } from './health-reading.parser.js';
