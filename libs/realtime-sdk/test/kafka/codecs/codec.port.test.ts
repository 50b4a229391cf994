import { describe, expect, it } from '@jest/globals';
import { mapDecoded } from '../../../src/kafka/codecs/codec.port.js';

describe('mapDecoded', () => {
  it('maps a value that is already there synchronously, and a promise once it settles', async () => {
    expect(mapDecoded(2, (n) => n * 10)).toBe(20);
    const later = mapDecoded(Promise.resolve(3), (n) => n * 10);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(30);
  });

  it('lets a failing map throw where the value was synchronous, and reject where it was not', async () => {
    const fail = (): never => {
      throw new Error('invalid');
    };
    expect(() => mapDecoded(1, fail)).toThrow('invalid');
    await expect(mapDecoded(Promise.resolve(1), fail)).rejects.toThrow('invalid');
  });
});
