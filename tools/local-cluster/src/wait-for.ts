import { setTimeout as sleep } from 'node:timers/promises';
import { localClusterErrors } from './local-cluster-errors.js';

export interface WaitForOptions {
  /** What is awaited, for the timeout message ("Application apps/x running"). */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `observe` until it returns a value other than undefined/false; errors while polling
 * count as "not yet". On timeout, RTP_ERR_CLUSTER_TIMEOUT carries the last observation (what
 * `describe` made of it, or the last error), so a failing test says where things stood.
 */
export async function waitFor<T>(
  observe: () => Promise<T | undefined | false>,
  options: WaitForOptions & { describe?: () => Promise<string> | string },
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const value = await observe();
      if (value !== undefined && value !== false) return value;
      last = options.describe ? await options.describe() : 'condition not met';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw localClusterErrors.TIMEOUT({ what: options.what, timeoutMs, lastObservation: last });
    }
    await sleep(options.intervalMs ?? 500);
  }
}
