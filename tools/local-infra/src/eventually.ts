// Waiting on state, not time (STYLE.md, tests against real infrastructure): these poll what no
// event reports - a count, a REST answer, a gauge. Their timeouts only bound a failure, so a slow
// machine makes a test slower, never wrong; no test asserts how long anything took. They live here,
// not only in the testkit, so local-infra's own tests use them too (testkit depends on local-infra;
// testkit re-exports them).

export interface EventuallyOptions {
  /** How long to keep polling before failing (default 60 s: real brokers on a loaded 2-core machine). */
  readonly timeoutMs?: number;
  /** The pause between two polls (default 20 ms). */
  readonly intervalMs?: number;
  /** What is waited for, named in the failure (a function: read at the failure, e.g. progress). */
  readonly what?: string | (() => string);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; rejects naming `what` if it still does not after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 20, what = 'condition' }: EventuallyOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const named = typeof what === 'function' ? what() : what;
      throw new Error(`${named} not reached within ${timeoutMs} ms`);
    }
    await pause(intervalMs);
  }
}

/**
 * Reads `read` until `done` holds of its value, and returns the last value either way: for a test
 * that then asserts on that value, so a failure shows what was read instead of a timeout.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 60_000, intervalMs = 20 }: Omit<EventuallyOptions, 'what'> = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await pause(intervalMs);
  }
}
