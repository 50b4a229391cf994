import avro from 'avsc';
import type { AvroRecordSchema, HealthData } from '../src/index.js';

/** Parses one of this package's schemas with avsc, the Avro library the SDK uses. */
export function avroTypeOf(schema: AvroRecordSchema): avro.Type {
  return avro.Type.forSchema(JSON.parse(JSON.stringify(schema)) as avro.Schema);
}

export const validReading: HealthData = {
  deviceId: 'device-0001',
  timestamp: 1_732_600_000_123,
  heartRate: 72,
  systolic: 120,
  diastolic: 80,
  oxygenSaturation: 98,
  bodyTemperature: 36.8,
  latitude: 52.5200066,
  longitude: 13.404954,
};
