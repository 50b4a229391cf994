import { describe, expect, it } from '@jest/globals';
import {
  broadcastGroupId,
  deadLetterHeaders,
  deadLetterHeadersFor,
  errorCodeOf,
  retryDelayMs,
  sdkErrors,
} from '../../src/index.js';

describe('retryDelayMs', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 };
  it('should grow exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(policy, retry, () => 0.5))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });
  it('should stay within the jitter bounds', () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(80);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(120);
  });
});

describe('broadcastGroupId', () => {
  it('should be <base>-<instance>-<random>, unique per call', () => {
    expect(broadcastGroupId('gateway', 'Pod_7', 'abcd1234')).toBe('gateway-pod-7-abcd1234');
    expect(broadcastGroupId('g', 'p')).not.toBe(broadcastGroupId('g', 'p'));
  });
});

describe('deadLetterHeadersFor', () => {
  it('should name the first coded error in the cause chain', () => {
    const error = new Error('wrapper', {
      cause: sdkErrors.CODEC_DECODE_FAILED({ codec: 'json', reason: 'x' }),
    });
    expect(errorCodeOf(error)).toBe(sdkErrors.CODEC_DECODE_FAILED.code);
    const headers = deadLetterHeadersFor(
      {
        reason: 'decode',
        error,
        topic: 't',
        partition: 2,
        offset: '41',
        timestamp: '1',
        groupId: 'g',
        attempts: 0,
        retriable: false,
      },
      new Date(0),
    );
    expect(headers).toMatchObject({
      [deadLetterHeaders.reason]: 'decode',
      [deadLetterHeaders.errorCode]: sdkErrors.CODEC_DECODE_FAILED.code,
      [deadLetterHeaders.originalPartition]: '2',
      [deadLetterHeaders.originalOffset]: '41',
      [deadLetterHeaders.failedAt]: '1970-01-01T00:00:00.000Z',
    });
  });
});
