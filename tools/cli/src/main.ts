#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isRealtimePlatformError } from '@realtime-platform/errors';
import { runDev } from './commands/dev.command.js';

/** Exit codes scripts can rely on. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

const usage = `Usage: rtp <command> [options]

Commands:
  dev            run the platform locally on real servers (Kafka, Mosquitto, PostgreSQL)

Options:
  --name <name>  platform name (default: health-data)
  -h, --help     show this help

Exit codes: 0 ok, 1 failure, 2 usage error.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'health-data' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || command === undefined) {
    console.log(usage);
    return command === undefined && !values.help ? exitCodes.usage : exitCodes.ok;
  }
  if (command === 'dev') {
    await runDev({ name: values.name ?? 'health-data' });
    return exitCodes.ok;
  }
  console.error(`rtp: unknown command "${command}"\n\n${usage}`);
  return exitCodes.usage;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`rtp: ${error.message}\n\n${usage}`);
      process.exit(exitCodes.usage);
    }
    console.error(isRealtimePlatformError(error) ? `rtp: ${error.code}: ${error.message}` : error);
    process.exit(exitCodes.failure);
  },
);
