import { describe, expect, it } from '@jest/globals';
import { contractErrors, retentionToMs } from '../../src/index.js';

describe('retentionToMs', () => {
  it.each([
    ['7d', 604_800_000],
    ['1d', 86_400_000],
    ['30d', 2_592_000_000],
    ['1w', 604_800_000],
    ['2w', 1_209_600_000],
    ['1m', 2_592_000_000],
    ['6m', 15_552_000_000],
    ['0d', 0],
    ['07d', 604_800_000],
  ])('converts %s to %d ms (a month is 30 days)', (retention, ms) => {
    expect(retentionToMs(retention)).toBe(ms);
  });

  it.each(['7x', '7', 'd', '7 d', '-1d', '1.5d', '7D', ''])('rejects %j as malformed', (value) => {
    expect(() => retentionToMs(value)).toThrow(
      expect.objectContaining({ code: contractErrors.RETENTION_MALFORMED.code }),
    );
  });

  it('rejects a retention beyond Number.MAX_SAFE_INTEGER milliseconds', () => {
    expect(() => retentionToMs('9999999999999m')).toThrow(
      expect.objectContaining({ code: contractErrors.RETENTION_TOO_LONG.code }),
    );
  });
});
