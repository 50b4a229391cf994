import { describe, expect, it } from '@jest/globals';
import { newClusterId } from '../src/index.js';

describe('newClusterId', () => {
  it('never starts with "-", which kafka-storage would read as an option (1 in 64 random ids do)', () => {
    const ids = Array.from({ length: 2_000 }, newClusterId);
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
  });
});
