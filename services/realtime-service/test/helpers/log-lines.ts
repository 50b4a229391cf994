// The same helper as libs/realtime-sdk/test/helpers/log-lines.ts, kept here on purpose: this service
// is the template of `rtp new service`, whose unit tests must also run in a standalone repository,
// which has the SDK but not the monorepo's testkit (tools/service-generator/src/standalone-starter.ts).
import { createLogger, type Logger } from '@realtime-platform/realtime-sdk';

/** A real pino logger whose JSON lines a test can read (the audit log goes through it). */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

/** The `audit` objects of the access audit lines, in order. */
export const auditOf = (lines: Record<string, unknown>[]): Record<string, unknown>[] =>
  lines
    .filter((line) => line.msg === 'access audit')
    .map((line) => line.audit as Record<string, unknown>);
