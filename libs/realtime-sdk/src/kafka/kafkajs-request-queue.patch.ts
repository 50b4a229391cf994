/*
 * kafkajs 2.2.4's RequestQueue.scheduleCheckPendingRequests hands `throttledUntil - Date.now()` to
 * setTimeout; when the broker never throttled (`throttledUntil` is -1) and nothing is pending, that
 * is about minus the current epoch milliseconds. Node has always run such a timer after 1 ms, but
 * Node 24 also prints a TimeoutNegativeWarning on stderr for it, in every process that uses the SDK.
 * This module puts the same method with the delay clamped to that 1 ms on kafkajs's RequestQueue
 * (a prototype method: kafkajs may already be loaded). Pinned to the version it was checked
 * against; any other version is left alone. Installed by the kafkajs adapter when a bus is
 * created (nothing is patched on import).
 */

const patchedVersion = '2.2.4';
/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL (requestQueue/index.js). */
const checkPendingRequestsIntervalMs = 10;

interface RequestQueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  readonly pending: readonly unknown[];
  checkPendingRequests(): void;
}

/** kafkajs's `scheduleCheckPendingRequests`, never with a negative delay. */
export function scheduleCheckPendingRequests(this: RequestQueueState): void {
  let scheduleAt = this.throttledUntil - Date.now();
  if (!this.throttleCheckTimeoutId) {
    if (this.pending.length > 0) {
      scheduleAt = scheduleAt > 0 ? scheduleAt : checkPendingRequestsIntervalMs;
    }
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      Math.max(scheduleAt, 1),
    );
  }
}

/** `installed`: kafkajs's request queues schedule without negative delays. `unsupported`: another kafkajs version. */
export type KafkajsRequestQueuePatch = 'installed' | 'unsupported';

export function installRequestQueueFix(require: NodeJS.Require): KafkajsRequestQueuePatch {
  let RequestQueue: { prototype: { scheduleCheckPendingRequests: unknown } };
  try {
    const { version } = require('kafkajs/package.json') as { version: string };
    if (version !== patchedVersion) return 'unsupported';
    RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as typeof RequestQueue;
  } catch {
    return 'unsupported';
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  return 'installed';
}
