import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../../src/domain/seeded-random.generator.js';

const sample = (random: SeededRandom, n = 5) => Array.from({ length: n }, () => random.next());

describe('SeededRandom', () => {
  it('should give the same sequence for the same seed and stream', () => {
    expect(sample(new SeededRandom(42, 7))).toEqual(sample(new SeededRandom(42, 7)));
  });

  it('should give different sequences for different seeds or streams', () => {
    const base = sample(new SeededRandom(42, 7));
    expect(sample(new SeededRandom(43, 7))).not.toEqual(base);
    expect(sample(new SeededRandom(42, 8))).not.toEqual(base);
  });

  it('should stay in [0, 1) and spread evenly', () => {
    const random = new SeededRandom(1);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside += 1;
      buckets[Math.floor(value * 10)] = (buckets[Math.floor(value * 10)] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('normal should have the asked mean and standard deviation', () => {
    const random = new SeededRandom(3);
    const values = Array.from({ length: 50_000 }, () => random.normal(10, 2));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('integer should cover both bounds and nothing outside', () => {
    const random = new SeededRandom(5);
    const seen = new Set(Array.from({ length: 1000 }, () => random.integer(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});
