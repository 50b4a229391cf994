import type { RealtimePlatformError } from '@realtime-platform/errors';
import { healthDataSchema, type HealthData, type HealthDataField } from './health-data.schema.js';
import { healthErrors } from './health.errors.js';
import {
  defaultMaxFutureSkewMs,
  deviceIdMaxLength,
  deviceIdPattern,
  healthReadingRanges,
} from './health-reading.rules.js';

export interface ValidReading {
  readonly ok: true;
  /** Only the `HealthData` fields, in schema order — ready to encode with `healthDataSchema`. */
  readonly reading: HealthData;
  /** Fields the payload carried that `HealthData` does not know; dropped, reported for metrics. */
  readonly ignoredFields: readonly string[];
}

export interface InvalidReading {
  readonly ok: false;
  /** Every problem found, payload first, then fields in schema order. Never empty. */
  readonly errors: readonly RealtimePlatformError[];
  /** The code of the first error, e.g. `RTP_ERR_HEALTH_FIELD_OUT_OF_RANGE`: the DLQ reason code. */
  readonly reasonCode: string;
  /** All messages joined by `; `, for a human-readable DLQ reason header. */
  readonly reason: string;
}

export type ReadingValidation = ValidReading | InvalidReading;

const knownFields: ReadonlySet<string> = new Set(healthDataSchema.fields.map((f) => f.name));

/** `null`, `array`, `string`, … — the JSON kind of a value, for messages. */
export function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return 'infinite number';
    return Number.isInteger(value) ? 'integer' : 'fractional number';
  }
  return typeof value;
}

export function invalidReading(errors: readonly RealtimePlatformError[]): InvalidReading {
  const [first] = errors;
  if (first === undefined) throw new RangeError('invalidReading needs at least one error');
  return {
    ok: false,
    errors,
    reasonCode: first.code,
    reason: errors.map((error) => error.message).join('; '),
  };
}

function checkRange(
  field: Exclude<HealthDataField, 'deviceId'>,
  value: number,
  errors: RealtimePlatformError[],
): void {
  const { min, max, unit } = healthReadingRanges[field];
  if (value < min || value > max) {
    errors.push(
      healthErrors.FIELD_OUT_OF_RANGE({
        reason: value < min ? 'below-minimum' : 'above-maximum',
        field,
        value,
        min,
        max,
        unit,
      }),
    );
  }
}

/**
 * Checks an untrusted value (a parsed MQTT/Kafka payload) against `HealthData`: required
 * fields, JSON types matching the Avro types (no coercion: `"72"` is not an int), and
 * plausibility ranges (`healthReadingRanges`), a device id of the safe character set
 * (`deviceIdPattern`), a timestamp not ahead of the receiver's clock by more than the allowed skew.
 * Collects every problem rather than stopping at
 * the first. Unknown fields are ignored (see README: forward compatibility with newer devices,
 * as the SQL's explicit SELECT lists and Avro schema resolution do), and left out of `reading`.
 */
export interface ReadingValidationOptions {
  /** The receiver's clock, epoch milliseconds (default `Date.now()`). */
  readonly now?: number;
  /** Timestamps later than `now` plus this are refused (default `defaultMaxFutureSkewMs`). */
  readonly maxFutureSkewMs?: number;
}

export function validateReading(
  input: unknown,
  options: ReadingValidationOptions = {},
): ReadingValidation {
  const now = options.now ?? Date.now();
  const maxFutureSkewMs = options.maxFutureSkewMs ?? defaultMaxFutureSkewMs;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalidReading([
      healthErrors.READING_NOT_OBJECT({ reason: 'not-an-object', actual: describeJsonKind(input) }),
    ]);
  }
  const source = input as Record<string, unknown>;
  const errors: RealtimePlatformError[] = [];
  const values: Partial<Record<HealthDataField, unknown>> = {};

  for (const { name: field, type } of healthDataSchema.fields) {
    if (!Object.hasOwn(source, field) || source[field] === undefined) {
      errors.push(healthErrors.FIELD_MISSING({ reason: 'missing', field }));
      continue;
    }
    const value = source[field];
    if (type === 'string') {
      if (typeof value !== 'string') {
        errors.push(
          healthErrors.FIELD_WRONG_TYPE({
            reason: 'not-a-string',
            field,
            expected: 'a string',
            actual: describeJsonKind(value),
          }),
        );
      } else if (value.trim() === '') {
        errors.push(
          healthErrors.DEVICE_ID_INVALID({
            reason: 'empty',
            field: 'deviceId',
            maxLength: deviceIdMaxLength,
          }),
        );
      } else if (value.length > deviceIdMaxLength) {
        errors.push(
          healthErrors.DEVICE_ID_INVALID({
            reason: 'too-long',
            field: 'deviceId',
            maxLength: deviceIdMaxLength,
          }),
        );
      } else if (!deviceIdPattern.test(value)) {
        errors.push(
          healthErrors.DEVICE_ID_INVALID({
            reason: 'invalid-characters',
            field: 'deviceId',
            maxLength: deviceIdMaxLength,
          }),
        );
      } else {
        values[field] = value;
      }
      continue;
    }
    // int and long must be integers (long: a safe integer, as JS numbers carry it exactly);
    // double accepts any finite number, integral ones included (`37` is a valid temperature).
    const integral = type === 'int' || type === 'long';
    const typeOk =
      typeof value === 'number' &&
      (type === 'long'
        ? Number.isSafeInteger(value)
        : integral
          ? Number.isInteger(value)
          : Number.isFinite(value));
    if (!typeOk) {
      errors.push(
        healthErrors.FIELD_WRONG_TYPE({
          reason: integral ? 'not-an-integer' : 'not-a-finite-number',
          field,
          expected:
            type === 'long'
              ? 'an integer (epoch milliseconds)'
              : integral
                ? 'an integer'
                : 'a finite number',
          actual: describeJsonKind(value),
        }),
      );
      continue;
    }
    checkRange(field, value as number, errors);
    if (field === 'timestamp' && (value as number) > now + maxFutureSkewMs) {
      errors.push(
        healthErrors.TIMESTAMP_IN_FUTURE({
          reason: 'in-the-future',
          field,
          value: value as number,
          now,
          maxFutureSkewMs,
        }),
      );
    }
    values[field] = value;
  }

  const { systolic, diastolic } = values;
  if (
    typeof systolic === 'number' &&
    typeof diastolic === 'number' &&
    errors.every((e) => e.details.field !== 'systolic' && e.details.field !== 'diastolic') &&
    systolic <= diastolic
  ) {
    errors.push(
      healthErrors.BLOOD_PRESSURE_INVERTED({
        reason: 'systolic-not-above-diastolic',
        field: 'systolic',
        systolic,
        diastolic,
      }),
    );
  }

  if (errors.length > 0) return invalidReading(errors);

  const reading = Object.fromEntries(
    healthDataSchema.fields.map(({ name }) => [name, values[name]]),
  ) as unknown as HealthData;
  const ignoredFields = Object.keys(source).filter((key) => !knownFields.has(key));
  return { ok: true, reading, ignoredFields };
}
