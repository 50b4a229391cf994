import { describe, expect, it } from '@jest/globals';
import { avroFullName, healthDataFields, healthDataSchema } from '../src/index.js';
import { avroTypeOf, validReading } from './avro.fixture.js';

/** Copied verbatim from the requirements, "Data Schema Specifications › Health Data Avro Schema". */
const requirementsSchema = {
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
};

describe('healthDataSchema', () => {
  it('is exactly the HealthData schema of the requirements, field order included', () => {
    expect(healthDataSchema).toStrictEqual(requirementsSchema);
    expect(avroFullName(healthDataSchema)).toBe('com.example.HealthData');
    expect(healthDataFields).toEqual(requirementsSchema.fields.map((f) => f.name));
  });

  it('parses with avsc and round-trips a reading through Avro binary', () => {
    const type = avroTypeOf(healthDataSchema);
    expect(type.name).toBe('com.example.HealthData');
    expect(type.isValid(validReading)).toBe(true);
    expect(type.fromBuffer(type.toBuffer(validReading))).toEqual(validReading);
  });
});
