import { simulatorErrors } from '../simulator.errors.js';

/** What the command line may set (each flag overrides its `RTP_SIM_*` variable). */
export interface SimulatorArguments {
  devices?: number;
  rate?: number;
  seed?: number;
  malformedRatio?: number;
  heartRateSpikeRatio?: number;
  qos?: 0 | 1;
  connections?: number;
  topic?: string;
  limit?: number;
  durationMs?: number;
  deviceIdPrefix?: string;
  help?: boolean;
}

type Flag = {
  readonly key: keyof SimulatorArguments;
  readonly kind: 'integer' | 'number' | 'string' | 'seconds';
  readonly help: string;
};

const flags: Readonly<Record<string, Flag>> = {
  '--devices': { key: 'devices', kind: 'integer', help: 'number of devices' },
  '--rate': { key: 'rate', kind: 'number', help: 'readings per second, all devices together' },
  '--seed': { key: 'seed', kind: 'integer', help: 'seed of the value model' },
  '--malformed-ratio': {
    key: 'malformedRatio',
    kind: 'number',
    help: 'share of malformed readings, 0 to 1',
  },
  '--spike-ratio': {
    key: 'heartRateSpikeRatio',
    kind: 'number',
    help: 'chance per reading of a heart-rate spike, 0 to 1',
  },
  '--qos': { key: 'qos', kind: 'integer', help: 'MQTT QoS, 0 or 1' },
  '--connections': { key: 'connections', kind: 'integer', help: 'MQTT connections' },
  '--topic': { key: 'topic', kind: 'string', help: 'MQTT topic' },
  '--count': { key: 'limit', kind: 'integer', help: 'stop after this many readings' },
  '--duration': { key: 'durationMs', kind: 'seconds', help: 'stop after this many seconds' },
  '--device-prefix': { key: 'deviceIdPrefix', kind: 'string', help: 'prefix of device ids' },
};

export const simulatorUsage = [
  'usage: node dist/main.js [--devices N] [--rate R] [options]',
  '',
  ...Object.entries(flags).map(([flag, { help }]) => `  ${flag.padEnd(18)} ${help}`),
  `  ${'--help'.padEnd(18)} this text`,
  '',
  'Each flag overrides its RTP_SIM_* variable; the broker comes from the mqtt secret.',
].join('\n');

/** `--devices 10 --rate 50` (or `--devices=10`) into typed values; unknown flags are errors. */
export function parseSimulatorArguments(argv: readonly string[]): SimulatorArguments {
  const result: SimulatorArguments = {};
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--help' || argument === '-h') {
      result.help = true;
      continue;
    }
    const [name, inline] = argument.includes('=')
      ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
      : [argument, undefined];
    const flag = flags[name];
    if (flag === undefined) {
      throw simulatorErrors.ARGUMENT_INVALID({ argument, reason: 'unknown argument (see --help)' });
    }
    const raw = inline ?? argv[(index += 1)];
    if (raw === undefined || raw === '') {
      throw simulatorErrors.ARGUMENT_INVALID({ argument: name, reason: 'needs a value' });
    }
    const value = flag.kind === 'string' ? raw : Number(raw);
    if (
      typeof value === 'number' &&
      (!Number.isFinite(value) || (flag.kind === 'integer' && !Number.isInteger(value)))
    ) {
      throw simulatorErrors.ARGUMENT_INVALID({
        argument: name,
        reason: `expects ${flag.kind === 'integer' ? 'an integer' : 'a number'}, got "${raw}"`,
      });
    }
    (result as Record<string, unknown>)[flag.key] =
      flag.kind === 'seconds' ? Math.round((value as number) * 1000) : value;
  }
  return result;
}
