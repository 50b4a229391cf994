import { describe, expect, it } from '@jest/globals';
import { fetchMaxBytesFor } from '../../src/kafka/fetch-budget.js';

const mib = 1024 * 1024;

describe('fetchMaxBytesFor', () => {
  it('gives a process in a 256 MiB pod (heap capped at 128 MiB) 1 MiB per fetch', () => {
    expect(fetchMaxBytesFor(128 * mib)).toBe(1 * mib);
  });

  it('grows with the heap: 4 MiB for a 512 MiB heap', () => {
    expect(fetchMaxBytesFor(512 * mib)).toBe(4 * mib);
  });

  it('keeps 10 MiB (kafkajs default) for a large heap, and never goes under 1 MiB', () => {
    expect(fetchMaxBytesFor(4096 * mib)).toBe(10 * mib);
    expect(fetchMaxBytesFor(16 * mib)).toBe(1 * mib);
  });
});
