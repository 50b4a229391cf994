// A logger's output as a test reads it: each JSON line parsed, in order. The test makes its own
// logger (the SDK's createLogger) on `destination`, so this package needs no SDK (the SDK's own
// tests use it too, and the SDK must not be a dependency of what its tests import).

/** A pino destination that keeps every line it is given, parsed, in `lines`. */
export function capturedLogLines(): {
  destination: { write(line: string): void };
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  return { destination: { write: (line) => lines.push(JSON.parse(line)) }, lines };
}

/** The `audit` objects of the access audit lines, in order. */
export const auditOf = (lines: Record<string, unknown>[]): Record<string, unknown>[] =>
  lines
    .filter((line) => line.msg === 'access audit')
    .map((line) => line.audit as Record<string, unknown>);
