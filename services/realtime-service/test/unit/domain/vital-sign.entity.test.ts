import { describe, expect, it } from '@jest/globals';
import { VitalSign, domainErrors, metricsOfKind, vitalKinds } from '../../../src/domain/index.js';
import { t0, vital } from '../../helpers/vitals.fixture.js';

const location = { latitude: 52.37, longitude: 4.89 };

describe('VitalSign', () => {
  it('holds exactly the metrics of its kind', () => {
    const bp = vital('blood_pressure', { systolic: 120, diastolic: 80 });
    expect(bp.values).toEqual({ systolic: 120, diastolic: 80 });
    expect(bp.valueOf('systolic')).toBe(120);
    expect(bp.valueOf('heartRate')).toBeUndefined();
    expect(Object.isFrozen(bp.values)).toBe(true);
  });

  it('has one metric list per kind, covering all four vital signs', () => {
    expect(Object.keys(metricsOfKind).sort()).toEqual([...vitalKinds].sort());
  });

  it.each([
    ['a missing metric', { kind: 'blood_pressure', values: { systolic: 120 } }],
    ['a metric of another kind', { kind: 'heart_rate', values: { heartRate: 70, systolic: 1 } }],
    ['a non-finite value', { kind: 'heart_rate', values: { heartRate: Number.NaN } }],
    ['an unknown kind', { kind: 'glucose', values: {} }],
    ['a blank device id', { deviceId: '  ' }],
    ['a device id over 128 characters', { deviceId: 'd'.repeat(129) }],
    ['a time that is not epoch milliseconds', { recordedAt: 1.5 }],
    ['a latitude beyond 90', { location: { latitude: 91, longitude: 0 } }],
    ['a longitude beyond 180', { location: { latitude: 0, longitude: -181 } }],
  ])('rejects %s with a coded, non-retriable error', (_what, override) => {
    const attempt = () =>
      VitalSign.create({
        deviceId: 'device-1',
        kind: 'heart_rate',
        values: { heartRate: 70 },
        recordedAt: t0,
        location,
        ...(override as object),
      } as Parameters<typeof VitalSign.create>[0]);
    expect(attempt).toThrow(
      expect.objectContaining({ code: domainErrors.VITAL_SIGN_INVALID.code, retriable: false }),
    );
  });
});
