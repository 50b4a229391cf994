import { describe, expect, it } from '@jest/globals';
import { accessClaimName, parseAccessGrant, sdkErrors } from '../../src/index.js';

const claim = (value: unknown): Record<string, unknown> => ({ [accessClaimName]: value });

describe('parseAccessGrant', () => {
  it('should read device, ward and topic lists, and "*" only where it is written', () => {
    const grant = parseAccessGrant(
      claim({ devices: ['bed-7', 'bed-9'], wards: ['icu-3'], topics: ['health_alerts'] }),
    );
    expect(grant.devices).toEqual(new Set(['bed-7', 'bed-9']));
    expect(grant.wards).toEqual(new Set(['icu-3']));
    expect(grant.topics).toEqual(new Set(['health_alerts']));
    expect(parseAccessGrant(claim({ devices: '*', topics: '*' }))).toMatchObject({
      devices: '*',
      topics: '*',
    });
    expect(parseAccessGrant(claim({ wards: ['icu-3'], topics: ['t'] })).devices).toEqual(new Set());
  });

  it('should refuse a missing claim and every malformed one with its code', () => {
    expect(() => parseAccessGrant({})).toThrow(
      expect.objectContaining({ code: sdkErrors.ACCESS_CLAIM_MISSING.code }),
    );
    const malformed: [unknown, string][] = [
      ['*', 'must be an object'],
      [{ devices: ['d'] }, '"topics" is required'],
      [{ topics: ['t'] }, '"devices" or "wards" is required'],
      [{ devices: ['d'], topics: ['t'], scope: 'admin' }, 'unknown field(s) scope'],
      [{ devices: ['d', '*'], topics: ['t'] }, 'only as the string "*"'],
      [{ devices: 'd', topics: ['t'] }, '"devices" must be "*" or an array'],
      [{ devices: [''], topics: ['t'] }, 'non-blank strings'],
      [{ devices: [7], topics: ['t'] }, 'non-blank strings'],
      [{ devices: ['d'], wards: '*', topics: ['t'] }, '"wards" must be an array'],
      [{ devices: Array.from({ length: 2001 }, (_, n) => `d${n}`), topics: ['t'] }, 'at most'],
    ];
    for (const [value, reason] of malformed)
      expect(() => parseAccessGrant(claim(value))).toThrow(
        expect.objectContaining({
          code: sdkErrors.ACCESS_CLAIM_INVALID.code,
          message: expect.stringContaining(reason),
        }),
      );
  });

  it('should read another claim name when told', () => {
    expect(parseAccessGrant({ vitals: { devices: '*', topics: ['t'] } }, 'vitals').devices).toBe(
      '*',
    );
  });
});
