import { defineErrors } from '@realtime-platform/errors';

/**
 * Why a reading was rejected. Every error's `details` carries a `reason` slug and, for field
 * errors, the `field`; the code of the first error is the DLQ reason code. None is retriable:
 * the same payload fails the same way every time.
 */
export const healthErrors = defineErrors('RTP_ERR_HEALTH', {
  PAYLOAD_NOT_UTF8: {
    message: (p: { reason: 'not-utf8'; bytes: number }) =>
      `payload of ${p.bytes} bytes is not valid UTF-8`,
  },
  PAYLOAD_MALFORMED_JSON: {
    message: (p: { reason: 'malformed-json'; parserMessage: string }) =>
      `payload is not valid JSON: ${p.parserMessage}`,
  },
  READING_NOT_OBJECT: {
    message: (p: { reason: 'not-an-object'; actual: string }) =>
      `a reading must be a JSON object, got ${p.actual}`,
  },
  FIELD_MISSING: {
    message: (p: { reason: 'missing'; field: string }) => `${p.field} is required`,
  },
  FIELD_WRONG_TYPE: {
    message: (p: {
      reason: 'not-a-string' | 'not-an-integer' | 'not-a-finite-number';
      field: string;
      expected: string;
      actual: string;
    }) => `${p.field} must be ${p.expected}, got ${p.actual}`,
  },
  FIELD_OUT_OF_RANGE: {
    message: (p: {
      reason: 'below-minimum' | 'above-maximum';
      field: string;
      value: number;
      min: number;
      max: number;
      unit: string;
    }) => `${p.field} ${p.value} is outside ${p.min}..${p.max} ${p.unit}`,
  },
  DEVICE_ID_INVALID: {
    message: (p: {
      reason: 'empty' | 'too-long' | 'invalid-characters';
      field: 'deviceId';
      maxLength: number;
    }) =>
      p.reason === 'empty'
        ? `deviceId must not be empty or blank`
        : p.reason === 'too-long'
          ? `deviceId must be at most ${p.maxLength} characters`
          : `deviceId may hold only ASCII letters, digits, ".", "_", ":" and "-", starting with a letter or digit`,
  },
  TIMESTAMP_IN_FUTURE: {
    message: (p: {
      reason: 'in-the-future';
      field: 'timestamp';
      value: number;
      now: number;
      maxFutureSkewMs: number;
    }) =>
      `timestamp ${new Date(p.value).toISOString()} is more than ${p.maxFutureSkewMs} ms ahead of the receiver's clock (${new Date(p.now).toISOString()})`,
  },
  BLOOD_PRESSURE_INVERTED: {
    message: (p: {
      reason: 'systolic-not-above-diastolic';
      field: 'systolic';
      systolic: number;
      diastolic: number;
    }) => `systolic ${p.systolic} must be greater than diastolic ${p.diastolic}`,
  },
});
