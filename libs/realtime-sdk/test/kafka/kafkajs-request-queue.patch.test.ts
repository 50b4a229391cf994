import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  installRequestQueueFix,
  scheduleCheckPendingRequests,
} from '../../src/kafka/kafkajs-request-queue.patch.js';
import { kafkajsRequire } from '../../src/kafka/kafkajs.loader.js';

const queue = (throttledUntil: number, pending: unknown[]) => ({
  throttledUntil,
  throttleCheckTimeoutId: null as ReturnType<typeof setTimeout> | null,
  pending,
  checkPendingRequests: jest.fn(),
});

describe('kafkajs request queue patch', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('is installed on the kafkajs version it was checked against (when a kafkajs bus is created)', () => {
    expect(installRequestQueueFix(kafkajsRequire)).toBe('installed');
    const RequestQueue = kafkajsRequire('kafkajs/src/network/requestQueue/index.js') as {
      prototype: { scheduleCheckPendingRequests: unknown };
    };
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(scheduleCheckPendingRequests);
  });

  it('never schedules the pending-requests check with a negative delay (Node 24 warns about it)', async () => {
    const timers = jest.spyOn(globalThis, 'setTimeout');
    const idle = queue(-1, []);
    scheduleCheckPendingRequests.call(idle);
    expect(timers.mock.calls[0]?.[1]).toBe(1);
    // Still checks, after that 1 ms, as kafkajs did.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle.checkPendingRequests).toHaveBeenCalledTimes(1);
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('keeps kafkajs delays otherwise: the throttle end, or 10 ms for pending requests', () => {
    const timers = jest.spyOn(globalThis, 'setTimeout');
    const throttled = queue(Date.now() + 5_000, ['request']);
    scheduleCheckPendingRequests.call(throttled);
    expect(timers.mock.calls[0]?.[1]).toBeGreaterThan(4_000);
    const pending = queue(-1, ['request']);
    scheduleCheckPendingRequests.call(pending);
    expect(timers.mock.calls[1]?.[1]).toBe(10);
    clearTimeout(throttled.throttleCheckTimeoutId ?? undefined);
    clearTimeout(pending.throttleCheckTimeoutId ?? undefined);
  });

  it('schedules nothing while a check is already scheduled', () => {
    const timers = jest.spyOn(globalThis, 'setTimeout');
    const scheduled = { ...queue(-1, []), throttleCheckTimeoutId: setTimeout(() => undefined, 0) };
    timers.mockClear();
    scheduleCheckPendingRequests.call(scheduled);
    expect(timers).not.toHaveBeenCalled();
  });
});
