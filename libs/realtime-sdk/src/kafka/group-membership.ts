import type { RealtimePlatformError } from '@realtime-platform/errors';

/**
 * Whether a subscription's consumer holds its place in the group, and who waits for it — the part
 * of `Subscription` every adapter answers alike (`joined`, `waitUntilJoined`, `failed`); the
 * adapter says when membership changes (`set`) or is refused for good (`refuse`).
 */
export class GroupMembership {
  private isJoined = false;
  private readonly joinWaiters = new Set<() => void>();
  /** Set when the broker refused our login or an ACL refused the group or a topic: final. */
  private failure: RealtimePlatformError | undefined;
  private readonly failWaiters = new Set<(error: RealtimePlatformError) => void>();

  constructor(private readonly groupId: string) {}

  /** Joined and not lost since (the subscription adds whether it still runs). */
  get held(): boolean {
    return this.isJoined;
  }

  set(joined: boolean): void {
    this.isJoined = joined;
    if (joined) {
      for (const waiter of this.joinWaiters) waiter();
      this.joinWaiters.clear();
    }
  }

  /** The login or an ACL was refused: every waiter fails with `error`, and every later wait too. */
  refuse(error: RealtimePlatformError): void {
    this.failure = error;
    for (const fail of this.failWaiters) fail(error);
    this.failWaiters.clear();
    this.joinWaiters.clear();
  }

  failed(): RealtimePlatformError | undefined {
    return this.failure;
  }

  /** Resolves at the next join (at once when `joinedNow`); rejects when refused or after `timeoutMs`. */
  wait(joinedNow: boolean, timeoutMs: number): Promise<void> {
    if (joinedNow) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.joinWaiters.delete(done);
        this.failWaiters.delete(fail);
        reject(new Error(`group ${this.groupId} did not join within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.failWaiters.delete(fail);
        resolve();
      };
      const fail = (error: RealtimePlatformError): void => {
        clearTimeout(timer);
        this.joinWaiters.delete(done);
        reject(error);
      };
      this.joinWaiters.add(done);
      this.failWaiters.add(fail);
    });
  }
}
