import type { ParseArgsConfig } from 'node:util';

/** Exit codes scripts can rely on. */
export const exitCodes = { ok: 0, failure: 1, usage: 2, invalid: 3 } as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

export interface ParsedInput {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** One `rtp` command: its help text, its options (node:util parseArgs), and what it does. */
export interface Command {
  readonly name: string;
  /** One line for `rtp --help`. */
  readonly summary: string;
  /** `rtp <name> --help`: usage line, arguments, options, exit codes. */
  readonly help: string;
  readonly options: CommandOptions;
  run(input: ParsedInput): Promise<ExitCode>;
}

/** A usage error: exit code 2 and the command's help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
