import { describe, expect, it } from '@jest/globals';
import { RealtimePlatformError } from '@realtime-platform/errors';
import { GroupMembership } from '../../src/kafka/group-membership.js';

const refusal = (): RealtimePlatformError =>
  new RealtimePlatformError('RTP_ERR_KAFKA_ACCESS_DENIED', 'refused', { retriable: false });

describe('GroupMembership', () => {
  it('answers a wait at the next join, and at once when already joined', async () => {
    const membership = new GroupMembership('g');
    const waiting = membership.wait(false, 1000);
    membership.set(true);
    await expect(waiting).resolves.toBeUndefined();
    await expect(membership.wait(true, 1000)).resolves.toBeUndefined();
    expect(membership.held).toBe(true);
  });

  it('fails every waiter, and every later wait at once, with the refusal', async () => {
    const membership = new GroupMembership('g');
    const waiting = membership.wait(false, 1000);
    const error = refusal();
    membership.refuse(error);
    await expect(waiting).rejects.toBe(error);
    await expect(membership.wait(false, 1000)).rejects.toBe(error);
    expect(membership.failed()).toBe(error);
  });

  it('gives up a wait after its timeout, naming the group', async () => {
    const membership = new GroupMembership('orders');
    await expect(membership.wait(false, 10)).rejects.toThrow(
      'group orders did not join within 10 ms',
    );
    membership.set(true); // a late join after the timeout resolves no one and throws nothing
    expect(membership.held).toBe(true);
  });
});
