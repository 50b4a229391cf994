import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  closeCodes,
  extractToken,
  parseClientMessage,
  sdkErrors,
  subscriptionKey,
} from '../../src/index.js';

const limits = { maxFilterFields: 2 };

describe('parseClientMessage', () => {
  it('should accept subscribe and unsubscribe with a scalar filter', () => {
    expect(
      parseClientMessage(
        '{"type":"subscribe","topic":"heart_rate_device_topic","filter":{"deviceId":"d1"},"id":"1"}',
        limits,
      ),
    ).toEqual({
      type: 'subscribe',
      topic: 'heart_rate_device_topic',
      filter: { deviceId: 'd1' },
      id: '1',
    });
    expect(parseClientMessage('{"type":"unsubscribe","topic":"t"}', limits)).toEqual({
      type: 'unsubscribe',
      topic: 't',
      filter: {},
    });
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['{"type":"publish","topic":"t"}', '"type"'],
    ['{"type":"subscribe"}', '"topic"'],
    ['{"type":"subscribe","topic":"t","filter":{"a":1,"b":2,"c":3}}', 'at most 2 fields'],
    ['{"type":"subscribe","topic":"t","filter":{"a":{"$gt":1}}}', 'filter.a'],
    ['{"type":"subscribe","topic":"t","filter":{"__proto__":1}}', 'not a plain field name'],
  ])('should reject %s', (text, reason) => {
    expect(() => parseClientMessage(text, limits)).toThrow(
      expect.objectContaining({
        code: sdkErrors.WS_MESSAGE_INVALID.code,
        message: expect.stringContaining(reason),
      }),
    );
  });
});

describe('subscriptionKey', () => {
  it('should be canonical: sorted fields, encoded values', () => {
    expect(subscriptionKey('t', {})).toBe('t');
    expect(subscriptionKey('t', { b: 'x y', a: 1 })).toBe('t?a=1&b=x%20y');
    expect(subscriptionKey('t', { a: 1, b: 'x y' })).toBe(subscriptionKey('t', { b: 'x y', a: 1 }));
  });
});

describe('extractToken', () => {
  it('should read Authorization: Bearer, else the protocol after "bearer"', () => {
    expect(extractToken({ authorization: 'Bearer abc.def.ghi' })).toBe('abc.def.ghi');
    expect(extractToken({ authorization: 'bearer   abc' })).toBe('abc');
    expect(extractToken({ 'sec-websocket-protocol': 'bearer, abc.def.ghi' })).toBe('abc.def.ghi');
    expect(extractToken({ 'sec-websocket-protocol': 'rtp.v1, bearer, tok' })).toBe('tok');
    expect(extractToken({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(extractToken({ 'sec-websocket-protocol': 'bearer' })).toBeUndefined();
    expect(extractToken({})).toBeUndefined();
  });
});

describe('close codes', () => {
  it('the README should document every close code', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.values(closeCodes))
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
  });
});
