import { describe, expect, it } from '@jest/globals';
import { AccessPolicy, accessClaimName, sdkErrors, unrestrictedGrant } from '../../src/index.js';

const policy = new AccessPolicy({
  wardOf: (deviceId) => (deviceId === 'bed-1' ? 'icu' : undefined),
});
const grantOf = (value: unknown) => policy.grantOf({ [accessClaimName]: value });
const listed = grantOf({ devices: ['bed-7'], wards: ['icu'], topics: ['hr'] });
const codeOf = (error: { code: string } | undefined): string | undefined => error?.code;

describe('AccessPolicy', () => {
  it('checkSubscription should allow a granted topic and device, and nothing else', () => {
    expect(policy.checkSubscription(listed, 'hr', { deviceId: 'bed-7' })).toBeUndefined();
    expect(policy.checkSubscription(listed, 'hr', { deviceId: 'bed-1' })).toBeUndefined(); // ward
    expect(codeOf(policy.checkSubscription(listed, 'hr', { deviceId: 'bed-8' }))).toBe(
      sdkErrors.ACCESS_DEVICE_NOT_GRANTED.code,
    );
    expect(codeOf(policy.checkSubscription(listed, 'bp', { deviceId: 'bed-7' }))).toBe(
      sdkErrors.ACCESS_TOPIC_NOT_GRANTED.code,
    );
    expect(codeOf(policy.checkSubscription(listed, 'hr', {}))).toBe(
      sdkErrors.ACCESS_DEVICE_FILTER_REQUIRED.code,
    );
    // A filter on another field does not name a device.
    expect(codeOf(policy.checkSubscription(listed, 'hr', { kind: 'hr' }))).toBe(
      sdkErrors.ACCESS_DEVICE_FILTER_REQUIRED.code,
    );
    expect(policy.checkSubscription(unrestrictedGrant, 'hr', {})).toBeUndefined();
  });

  it('a ward grant without a ward directory should grant no device', () => {
    const wardsOnly = new AccessPolicy().grantOf({
      [accessClaimName]: { wards: ['icu'], topics: ['hr'] },
    });
    expect(codeOf(new AccessPolicy().checkDevice(wardsOnly, 'bed-1'))).toBe(
      sdkErrors.ACCESS_DEVICE_NOT_GRANTED.code,
    );
  });

  it('deviceScope should list the granted devices, or "*" only for an explicit "*"', () => {
    expect(policy.deviceScope(listed)).toEqual(['bed-7']);
    expect(policy.deviceScope(grantOf({ devices: '*', topics: ['hr'] }))).toBe('*');
  });
});
