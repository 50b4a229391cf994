import type { RetryPolicy } from './message-bus.port.js';

export const defaultRetryPolicy: RetryPolicy = {
  initialDelayMs: 200,
  maxDelayMs: 5000,
  factor: 2,
  jitter: 0.2,
};

/** The delay before retry number `retry` (1-based, unbounded): exponential, capped, with jitter. */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (retry - 1));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base * spread));
}
