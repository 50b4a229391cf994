import { deviceMqttTopic, runtimeEnv } from '@realtime-platform/platform-contract';
import type { SimulationOptionsInput } from '../../application/simulation.options.js';
import { simulatorErrors } from '../../simulator.errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The simulation the service runs, from its `RTP_SIM_*` variables and `RTP_MQTT_TOPIC` (names and
 * defaults: the platform contract's runtimeEnvCatalog). Ranges are checked by
 * `resolveSimulationOptions`; here only the syntax, every problem at once.
 */
export function simulationOptionsFromEnv(env: Env): SimulationOptionsInput {
  const problems: string[] = [];
  const number = (name: string, fallback: number, integer: boolean): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      problems.push(`${name} must be ${integer ? 'an integer' : 'a number'}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const options: SimulationOptionsInput = {
    devices: number(runtimeEnv.simDevices, 10, true),
    rate: number(runtimeEnv.simRate, 50, false),
    seed: number(runtimeEnv.simSeed, 1, true),
    malformedRatio: number(runtimeEnv.simMalformedRatio, 0, false),
    heartRateSpikeRatio: number(runtimeEnv.simHeartRateSpikeRatio, 0.001, false),
    qos: number(runtimeEnv.simQos, 1, true) as 0 | 1,
    connections: number(runtimeEnv.simConnections, 1, true),
    topic: env[runtimeEnv.mqttTopic]?.trim() || deviceMqttTopic,
  };
  if (problems.length > 0) throw simulatorErrors.OPTIONS_INVALID({ problems });
  return options;
}
