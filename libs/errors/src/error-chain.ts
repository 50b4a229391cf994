import { isRealtimePlatformError, type RealtimePlatformError } from './realtime-platform-error.js';

/** Every error reachable from `error` through `cause` and `AggregateError.errors`, depth first. */
export function* walkErrorChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    yield current;
    if (current instanceof AggregateError) stack.push(...[...current.errors].reverse());
    if (current instanceof Error && current.cause !== undefined) stack.push(current.cause);
  }
}

/** The first coded error in the chain with this code, if any. */
export function findErrorByCode(error: unknown, code: string): RealtimePlatformError | undefined {
  for (const candidate of walkErrorChain(error)) {
    if (isRealtimePlatformError(candidate) && candidate.code === code) return candidate;
  }
  return undefined;
}

/**
 * Whether an operation that failed with `error` may be retried: the verdict of the outermost
 * coded error in the chain. Unknown errors are not retriable - retry is never the default.
 */
export function isRetriable(error: unknown): boolean {
  for (const candidate of walkErrorChain(error)) {
    if (isRealtimePlatformError(candidate)) return candidate.retriable;
  }
  return false;
}
