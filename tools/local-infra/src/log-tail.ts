import { existsSync, readFileSync } from 'node:fs';

/** The last `lines` lines of a log file, for error messages and failure reports. */
export function logTail(file: string, lines = 60): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const all = readFileSync(file, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}
