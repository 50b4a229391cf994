import { describe, expect, it } from '@jest/globals';
import { parseReading } from '../src/index.js';
import { validReading } from './avro.fixture.js';

describe('parseReading', () => {
  it('accepts a valid reading from a Buffer and from a string', () => {
    const json = JSON.stringify(validReading);
    expect(parseReading(Buffer.from(json))).toEqual({
      ok: true,
      reading: validReading,
      ignoredFields: [],
    });
    expect(parseReading(json)).toMatchObject({ ok: true, reading: validReading });
  });

  it('tolerates a leading UTF-8 byte order mark', () => {
    const json = JSON.stringify(validReading);
    expect(parseReading(Buffer.from(`\uFEFF${json}`)).ok).toBe(true);
    expect(parseReading(`\uFEFF${json}`).ok).toBe(true);
  });

  it.each(['', '{', '{"deviceId": "d1",}', 'not json', '{"a":1} trailing'])(
    'returns a coded error instead of throwing for malformed JSON %p',
    (payload) => {
      const result = parseReading(Buffer.from(payload));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reasonCode).toBe('RTP_ERR_HEALTH_PAYLOAD_MALFORMED_JSON');
      expect(result.errors[0]?.details).toMatchObject({ reason: 'malformed-json' });
      expect(result.errors[0]?.cause).toBeInstanceOf(SyntaxError);
    },
  );

  it('returns a coded error for a payload that is not UTF-8', () => {
    const result = parseReading(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(result).toMatchObject({ ok: false, reasonCode: 'RTP_ERR_HEALTH_PAYLOAD_NOT_UTF8' });
  });

  it('validates what it parsed: a JSON array or a bad field is rejected with its reason', () => {
    expect(parseReading('[]')).toMatchObject({
      ok: false,
      reasonCode: 'RTP_ERR_HEALTH_READING_NOT_OBJECT',
    });
    const result = parseReading(JSON.stringify({ ...validReading, heartRate: '72' }));
    expect(result).toMatchObject({ ok: false, reasonCode: 'RTP_ERR_HEALTH_FIELD_WRONG_TYPE' });
  });
});
