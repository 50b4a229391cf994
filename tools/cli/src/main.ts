#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isRealtimePlatformError } from '@realtime-platform/errors';
import { exitCodes, UsageError, type Command } from './cli/command.js';
import { commands } from './commands/index.js';

const usage = `Usage: rtp <command> [options]

Commands:
${commands.map((command) => `  ${command.name.padEnd(14)} ${command.summary}`).join('\n')}

Run \`rtp <command> --help\` for a command's options.
Exit codes: 0 ok, 1 failure, 2 usage error, 3 invalid input (validate/render).`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(usage);
    return exitCodes.usage;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    console.log(usage);
    return exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    console.error(`rtp: unknown command "${name}"\n\n${usage}`);
    return exitCodes.usage;
  }
  return runCommand(command, rest);
}

async function runCommand(command: Command, argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help === true) {
      console.log(command.help);
      return exitCodes.ok;
    }
    return await command.run({ values, positionals });
  } catch (error) {
    const parseError =
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (parseError || error instanceof UsageError) {
      console.error(`rtp ${command.name}: ${(error as Error).message}\n\n${command.help}`);
      return exitCodes.usage;
    }
    throw error;
  }
}

/**
 * Exits once stdout and stderr have taken everything written to them: process.exit() drops what
 * is still queued for a pipe, so a large `rtp render | kubectl apply -f -` lost its last
 * documents (the Jobs and CronJobs helm prints last).
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const flushed = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    console.error(isRealtimePlatformError(error) ? `rtp: ${error.code}: ${error.message}` : error);
    exitAfterFlush(exitCodes.failure);
  },
);
