import { describe, expect, it } from '@jest/globals';
import { eventually, pollUntil } from '../src/index.js';

describe('eventually', () => {
  it('should resolve once the condition holds, polling it again until then', async () => {
    let polls = 0;
    await eventually(() => ++polls === 3, { intervalMs: 1 });
    expect(polls).toBe(3);
  });

  it('should wait on an async condition', async () => {
    let polls = 0;
    await eventually(async () => ++polls === 2, { intervalMs: 1 });
    expect(polls).toBe(2);
  });

  it('should fail naming what it waited for when the condition never holds', async () => {
    await expect(
      eventually(() => false, { timeoutMs: 30, intervalMs: 1, what: 'the record' }),
    ).rejects.toThrow('the record not reached within 30 ms');
  });

  it('should name progress read at the failure when `what` is a function', async () => {
    let polls = 0;
    await expect(
      eventually(() => (polls += 1) < 0, {
        timeoutMs: 30,
        intervalMs: 1,
        what: () => `the ISR (${polls} polls)`,
      }),
    ).rejects.toThrow(/^the ISR \(\d+ polls\) not reached within 30 ms$/);
  });

  it('should fail with the error the condition throws rather than wait on', async () => {
    await expect(
      eventually(() => {
        throw new Error('the broker refused');
      }),
    ).rejects.toThrow('the broker refused');
  });
});

describe('pollUntil', () => {
  it('should return the first value that is done', async () => {
    let reads = 0;
    await expect(
      pollUntil(
        async () => ++reads,
        (value) => value >= 4,
        { intervalMs: 1 },
      ),
    ).resolves.toBe(4);
  });

  it('should return the last value read when it never gets done, for the caller to assert on', async () => {
    const value = await pollUntil(
      async () => 'pending',
      (v) => v === 'firing',
      {
        timeoutMs: 30,
        intervalMs: 1,
      },
    );
    expect(value).toBe('pending');
  });
});
