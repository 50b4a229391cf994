import { describe, expect, it } from '@jest/globals';
import {
  healthErrors,
  healthReadingRanges,
  validateReading,
  type ReadingValidationOptions,
} from '../src/index.js';
import { validReading } from './avro.fixture.js';

const without = (field: string): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...validReading };
  delete copy[field];
  return copy;
};
const withField = (field: string, value: unknown) => ({ ...validReading, [field]: value });

/** The single error of a rejected input, as `[code, details]`. */
function onlyError(
  input: unknown,
  options: ReadingValidationOptions = {},
): [string, Record<string, unknown>] {
  const result = validateReading(input, options);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors;
  expect(result.reasonCode).toBe(error?.code);
  return [error!.code, { ...error!.details }];
}

describe('validateReading', () => {
  it('accepts a valid reading and returns it with the schema fields in schema order', () => {
    const result = validateReading({ ...validReading });
    expect(result).toEqual({ ok: true, reading: validReading, ignoredFields: [] });
    if (result.ok) expect(Object.keys(result.reading)).toEqual(Object.keys(validReading));
  });

  it('accepts readings at every range boundary and an integral bodyTemperature', () => {
    const low = Object.fromEntries(
      Object.entries(healthReadingRanges).map(([field, range]) => [field, range.min]),
    );
    const high = Object.fromEntries(
      Object.entries(healthReadingRanges).map(([field, range]) => [field, range.max]),
    );
    // systolic must stay above diastolic at the boundaries.
    expect(validateReading({ ...validReading, ...low, diastolic: 20, systolic: 50 }).ok).toBe(true);
    // The receiver's clock at the timestamp range's end: the future-skew rule is tested below.
    expect(
      validateReading(
        { ...validReading, ...high, systolic: 300, diastolic: 200 },
        { now: healthReadingRanges.timestamp.max },
      ).ok,
    ).toBe(true);
    expect(validateReading(withField('bodyTemperature', 37)).ok).toBe(true);
  });

  it('ignores unknown fields, drops them from the reading and reports them', () => {
    const result = validateReading({ ...validReading, firmware: '2.1.0', battery: 87 });
    expect(result).toEqual({
      ok: true,
      reading: validReading,
      ignoredFields: ['firmware', 'battery'],
    });
  });

  it.each([null, [], 'reading', 42, true, undefined])('rejects a non-object (%p)', (input) => {
    const [code, details] = onlyError(input);
    expect(code).toBe(healthErrors.READING_NOT_OBJECT.code);
    expect(details.reason).toBe('not-an-object');
  });

  it.each(Object.keys(validReading))('rejects a reading missing %s, naming the field', (field) => {
    const [code, details] = onlyError(without(field));
    expect(code).toBe('RTP_ERR_HEALTH_FIELD_MISSING');
    expect(details).toEqual({ reason: 'missing', field });
  });

  it.each([
    ['deviceId', 42, 'not-a-string'],
    ['deviceId', null, 'not-a-string'],
    ['timestamp', '1732600000123', 'not-an-integer'],
    ['timestamp', 1_732_600_000_123.5, 'not-an-integer'],
    ['timestamp', 2 ** 60, 'not-an-integer'],
    ['heartRate', '72', 'not-an-integer'],
    ['heartRate', 72.5, 'not-an-integer'],
    ['systolic', 120.1, 'not-an-integer'],
    ['diastolic', true, 'not-an-integer'],
    ['oxygenSaturation', 97.5, 'not-an-integer'],
    ['bodyTemperature', '36.8', 'not-a-finite-number'],
    ['bodyTemperature', Number.NaN, 'not-a-finite-number'],
    ['latitude', Number.POSITIVE_INFINITY, 'not-a-finite-number'],
    ['longitude', null, 'not-a-finite-number'],
  ])('rejects %s = %p as %s, naming the field', (field, value, reason) => {
    const [code, details] = onlyError(withField(field, value));
    expect(code).toBe('RTP_ERR_HEALTH_FIELD_WRONG_TYPE');
    expect(details).toMatchObject({ field, reason });
  });

  it.each([
    ['timestamp', 1_732_600_000, 'below-minimum'], // epoch seconds, not milliseconds
    ['timestamp', -1, 'below-minimum'],
    ['timestamp', 8_640_000_000_000_001, 'above-maximum'],
    ['heartRate', 19, 'below-minimum'],
    ['heartRate', 301, 'above-maximum'],
    ['systolic', 49, 'below-minimum'],
    ['systolic', 301, 'above-maximum'],
    ['diastolic', 19, 'below-minimum'],
    ['diastolic', 201, 'above-maximum'],
    ['oxygenSaturation', 49, 'below-minimum'],
    ['oxygenSaturation', 101, 'above-maximum'],
    ['bodyTemperature', 24.9, 'below-minimum'],
    ['bodyTemperature', 98.6, 'above-maximum'], // Fahrenheit sent by mistake
    ['latitude', -90.0001, 'below-minimum'],
    ['latitude', 90.0001, 'above-maximum'],
    ['longitude', -180.5, 'below-minimum'],
    ['longitude', 180.5, 'above-maximum'],
  ])('rejects %s = %p as %s, naming the field and its range', (field, value, reason) => {
    const input =
      field === 'diastolic' && value === 201
        ? { ...validReading, diastolic: 201, systolic: 250 }
        : withField(field, value);
    // The receiver's clock at the range's end: only the range rule speaks here.
    const [code, details] = onlyError(input, { now: healthReadingRanges.timestamp.max });
    expect(code).toBe('RTP_ERR_HEALTH_FIELD_OUT_OF_RANGE');
    expect(details).toMatchObject({ field, reason, value });
    expect(details.min).toBe(healthReadingRanges[field as keyof typeof healthReadingRanges].min);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['d'.repeat(129), 'too-long'],
    ['bed-\u0430', 'invalid-characters'], // Cyrillic "а": looks like bed-a
    ['bed-7\u200b', 'invalid-characters'], // zero-width space: looks like bed-7
    ['\u202ebed-7', 'invalid-characters'], // right-to-left override
    ['bed\u00007', 'invalid-characters'], // NUL
    ['bed 7', 'invalid-characters'],
    ['ward/bed-7', 'invalid-characters'], // an MQTT topic level separator
    ['bed-+', 'invalid-characters'], // an MQTT wildcard
    ['-bed-7', 'invalid-characters'], // must start with a letter or digit
    ['b\u00e9d-7', 'invalid-characters'], // non-ASCII letter
  ])('rejects deviceId %p as %s', (deviceId, reason) => {
    const [code, details] = onlyError(withField('deviceId', deviceId));
    expect(code).toBe('RTP_ERR_HEALTH_DEVICE_ID_INVALID');
    expect(details).toMatchObject({ field: 'deviceId', reason });
  });

  it.each(['bed-7', 'BED_7', 'icu.ward-3:bed-12', `d${'x'.repeat(127)}`, '7'])(
    'accepts deviceId %p of the safe character set',
    (deviceId) => {
      expect(validateReading(withField('deviceId', deviceId)).ok).toBe(true);
    },
  );

  it('rejects a timestamp more than the allowed skew ahead of the receiver clock, naming the field', () => {
    const now = validReading.timestamp as number;
    const allowed = validateReading(withField('timestamp', now + 5 * 60_000), { now });
    expect(allowed.ok).toBe(true);
    const input = withField('timestamp', now + 5 * 60_000 + 1);
    const result = validateReading(input, { now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.reasonCode).toBe('RTP_ERR_HEALTH_TIMESTAMP_IN_FUTURE');
    expect({ ...result.errors[0]?.details }).toMatchObject({
      field: 'timestamp',
      reason: 'in-the-future',
      maxFutureSkewMs: 300_000,
    });
    // The year-275760 timestamp (the largest JS Date) no longer passes with a real clock.
    expect(validateReading(withField('timestamp', 8_640_000_000_000_000)).ok).toBe(false);
    // The skew is configurable.
    expect(validateReading(input, { now, maxFutureSkewMs: 600_000 }).ok).toBe(true);
  });

  it.each([
    [120, 120],
    [80, 120],
  ])('rejects systolic %p not above diastolic %p', (systolic, diastolic) => {
    const [code, details] = onlyError({ ...validReading, systolic, diastolic });
    expect(code).toBe('RTP_ERR_HEALTH_BLOOD_PRESSURE_INVERTED');
    expect(details).toMatchObject({ field: 'systolic', systolic, diastolic });
  });

  it('reports every problem in schema order, the first one as reasonCode', () => {
    const result = validateReading({ deviceId: 7, heartRate: 500, latitude: 'north' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.details.field])).toEqual([
      ['RTP_ERR_HEALTH_FIELD_WRONG_TYPE', 'deviceId'],
      ['RTP_ERR_HEALTH_FIELD_MISSING', 'timestamp'],
      ['RTP_ERR_HEALTH_FIELD_OUT_OF_RANGE', 'heartRate'],
      ['RTP_ERR_HEALTH_FIELD_MISSING', 'systolic'],
      ['RTP_ERR_HEALTH_FIELD_MISSING', 'diastolic'],
      ['RTP_ERR_HEALTH_FIELD_MISSING', 'oxygenSaturation'],
      ['RTP_ERR_HEALTH_FIELD_MISSING', 'bodyTemperature'],
      ['RTP_ERR_HEALTH_FIELD_WRONG_TYPE', 'latitude'],
      ['RTP_ERR_HEALTH_FIELD_MISSING', 'longitude'],
    ]);
    expect(result.reasonCode).toBe('RTP_ERR_HEALTH_FIELD_WRONG_TYPE');
    expect(result.reason).toContain('deviceId must be a string, got integer');
    expect(result.reason).toContain('heartRate 500 is outside 20..300 bpm');
  });

  it('returns non-retriable coded errors', () => {
    const result = validateReading(withField('heartRate', 1000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.every((e) => e.retriable === false)).toBe(true);
  });

  it('does not read inherited properties as fields', () => {
    const result = validateReading(Object.create({ ...validReading }));
    expect(result).toMatchObject({ ok: false, reasonCode: 'RTP_ERR_HEALTH_FIELD_MISSING' });
  });
});
