import { statSync } from 'node:fs';
import { formatProblem, type ApplicationProblem } from '@realtime-platform/app-render';
import { exitCodes, UsageError, type ExitCode } from '../cli/command.js';

/**
 * The one positional argument `rtp render` and `rtp validate` take: an Application file that
 * exists. Missing or not a file is a usage error (exit 2): nothing was checked, so it must not
 * read as "invalid" (3) or as a tool failure (1).
 */
export function applicationFile(positionals: readonly string[]): string {
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError('missing <app.yaml> (an OAM Application file)');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined) throw new UsageError(`no such file: ${file}`);
  if (!stats.isFile()) throw new UsageError(`not a file: ${file}`);
  return file;
}

/** `1 object`, `3 objects`. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Prints every problem on stderr, one per line, and gives the exit code of invalid input. */
export function reportProblems(
  command: string,
  file: string,
  problems: readonly ApplicationProblem[],
): ExitCode {
  const lines = problems.map((problem) => `  ${formatProblem(problem).replaceAll('\n', '\n    ')}`);
  const count = counted(problems.length, 'problem');
  console.error(`rtp ${command}: ${file} is invalid (${count}):\n${lines.join('\n')}`);
  return exitCodes.invalid;
}

/** Step lines on stderr when it is a terminal (scripts and CI get the result only). */
export function progressOnTerminal(): ((step: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (step) => process.stderr.write(`· ${step}\n`);
}
