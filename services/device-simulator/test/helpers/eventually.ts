/** Polls `condition` until it holds (state, not time: the timeout only bounds a failure). */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 20, what = 'condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
