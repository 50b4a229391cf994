import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import { simulatorErrors } from '../simulator.errors.js';

/** Everything a simulation run needs besides the broker connection. */
export interface SimulationOptions {
  /** Simulated devices (1 to 1,000,000). */
  readonly devices: number;
  /** Readings per second, all devices together. */
  readonly rate: number;
  /** Same seed, same readings (values, device order, which ones are malformed). */
  readonly seed: number;
  /** MQTT topic (default: the contract's `health/device_data`). */
  readonly topic: string;
  readonly qos: 0 | 1;
  /** Share of readings sent malformed (0 to 1). */
  readonly malformedRatio: number;
  /** Chance per reading that a device starts a heart-rate spike (0 to 1). */
  readonly heartRateSpikeRatio: number;
  /** MQTT connections the devices share (device i uses connection i mod n). */
  readonly connections: number;
  /** Unacknowledged publishes per connection before the simulator waits. */
  readonly maxInFlightPerConnection: number;
  /** Publish every this many ms. */
  readonly tickMs: number;
  /** Stop after this many readings (default: run until stopped). */
  readonly limit?: number;
  /** Stop after this long, in ms (default: run until stopped). */
  readonly durationMs?: number;
  readonly deviceIdPrefix: string;
  /** MQTT client ids are `<prefix>-<random>-<connection>`. */
  readonly clientIdPrefix: string;
  /** MQTT 3.1.1 (4, what most devices speak) or 5. */
  readonly protocolVersion: 4 | 5;
}

export const defaultSimulationOptions = {
  seed: 1,
  topic: deviceMqttTopic,
  qos: 1,
  malformedRatio: 0,
  heartRateSpikeRatio: 0.001,
  connections: 1,
  maxInFlightPerConnection: 1000,
  tickMs: 10,
  deviceIdPrefix: 'sim-device-',
  clientIdPrefix: 'device-simulator',
  protocolVersion: 4,
} satisfies Partial<SimulationOptions>;

export type SimulationOptionsInput = Pick<SimulationOptions, 'devices' | 'rate'> &
  Partial<Omit<SimulationOptions, 'devices' | 'rate'>>;

/** Defaults merged, every problem reported at once (RTP_ERR_SIMULATOR_OPTIONS_INVALID). */
export function resolveSimulationOptions(input: SimulationOptionsInput): SimulationOptions {
  const options: SimulationOptions = { ...defaultSimulationOptions, ...input };
  const problems: string[] = [];
  const integer = (name: keyof SimulationOptions, min: number, max: number): void => {
    const value = options[name];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  };
  const ratio = (name: 'malformedRatio' | 'heartRateSpikeRatio'): void => {
    const value = options[name];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      problems.push(`${name} must be a number from 0 to 1, got ${String(value)}`);
  };
  integer('devices', 1, 1_000_000);
  if (typeof options.rate !== 'number' || !(options.rate > 0 && options.rate <= 1_000_000))
    problems.push(`rate must be a number above 0 and at most 1000000, got ${String(options.rate)}`);
  integer('seed', 0, 4_294_967_295);
  if (typeof options.topic !== 'string' || options.topic === '' || /[+#]/.test(options.topic))
    problems.push(`topic must be a topic name without wildcards, got "${String(options.topic)}"`);
  if (options.qos !== 0 && options.qos !== 1)
    problems.push(`qos must be 0 or 1, got ${String(options.qos)}`);
  ratio('malformedRatio');
  ratio('heartRateSpikeRatio');
  integer('connections', 1, 1000);
  integer('maxInFlightPerConnection', 1, 65_535);
  integer('tickMs', 1, 1000);
  integer('limit', 1, Number.MAX_SAFE_INTEGER);
  integer('durationMs', 1, Number.MAX_SAFE_INTEGER);
  if (options.protocolVersion !== 4 && options.protocolVersion !== 5)
    problems.push(`protocolVersion must be 4 or 5, got ${String(options.protocolVersion)}`);
  if (typeof options.deviceIdPrefix !== 'string' || options.deviceIdPrefix.length > 100)
    problems.push('deviceIdPrefix must be a string of at most 100 characters');
  if (problems.length > 0) throw simulatorErrors.OPTIONS_INVALID({ problems });
  return options;
}
