import { describe, expect, it } from '@jest/globals';
import {
  avroFullName,
  bloodPressureSchema,
  healthDataSchema,
  heartRateSchema,
  oxygenSaturationSchema,
  temperatureSchema,
  type AvroRecordSchema,
} from '../src/index.js';
import { avroTypeOf } from './avro.fixture.js';

const sourceType = (field: string) => healthDataSchema.fields.find((f) => f.name === field)?.type;

// [schema, full name, SQL SELECT aliases in order, alias → source field of HealthData]
const derived: [AvroRecordSchema, string, string[], Record<string, string>][] = [
  [
    bloodPressureSchema,
    'com.example.BloodPressure',
    ['deviceId', 'systolic', 'diastolic', 'latitude', 'longitude', 'createdTime'],
    { createdTime: 'timestamp' },
  ],
  [
    heartRateSchema,
    'com.example.HeartRate',
    ['deviceId', 'value', 'latitude', 'longitude', 'createdTime'],
    { value: 'heartRate', createdTime: 'timestamp' },
  ],
  [
    oxygenSaturationSchema,
    'com.example.OxygenSaturation',
    ['deviceId', 'value', 'latitude', 'longitude', 'createdTime'],
    { value: 'oxygenSaturation', createdTime: 'timestamp' },
  ],
  [
    temperatureSchema,
    'com.example.Temperature',
    ['deviceId', 'value', 'latitude', 'longitude', 'createdTime'],
    { value: 'bodyTemperature', createdTime: 'timestamp' },
  ],
];

describe.each(derived)('%#: derived schema', (schema, fullName, sqlFields, aliases) => {
  it(`${fullName} has exactly the SQL's field names, in SELECT order`, () => {
    expect(avroFullName(schema)).toBe(fullName);
    expect(schema.fields.map((f) => f.name)).toEqual(sqlFields);
  });

  it(`${fullName} types each field like its HealthData source field`, () => {
    for (const field of schema.fields) {
      expect([field.name, field.type]).toEqual([
        field.name,
        sourceType(aliases[field.name] ?? field.name),
      ]);
    }
  });

  it(`${fullName} is a valid Avro record schema that resolves against itself (BACKWARD sanity)`, () => {
    const type = avroTypeOf(schema);
    expect(type.typeName).toBe('record');
    expect(type.name).toBe(fullName);
    // A registry's BACKWARD check is "the new schema reads data written with the old": the
    // first version must at least read its own data through schema resolution.
    const resolver = type.createResolver(avroTypeOf(schema));
    const record = type.random();
    expect(type.fromBuffer(type.toBuffer(record), resolver)).toEqual(record);
  });
});
