import type { Logger } from '@realtime-platform/realtime-sdk';
import {
  resolveSimulationOptions,
  type SimulationOptions,
  type SimulationOptionsInput,
} from '../application/simulation.options.js';
import {
  Simulation,
  type AcknowledgedReading,
  type SimulationClock,
  type SimulationCounts,
  type SimulationReport,
} from '../application/simulation.use-case.js';
import { SimulatedFleet, type SimulatedReading } from '../domain/simulated-fleet.model.js';
import { MqttReadingPublisher } from './mqtt-reading.publisher.js';

export type StartSimulationOptions = SimulationOptionsInput & {
  /** The broker: the mqtt secret (`config.platform.mqtt`) or `{ url, username, password }`. */
  readonly connection: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
  };
  readonly logger?: Logger;
  /** Called for every reading the broker acknowledged (QoS 1) or that was sent (QoS 0). */
  readonly onAcknowledged?: (reading: AcknowledgedReading) => void;
  readonly onFailed?: (reading: SimulatedReading, error: Error) => void;
  readonly clock?: SimulationClock;
};

/** A running simulation. */
export interface SimulationHandle {
  readonly options: SimulationOptions;
  /** Device ids, in the order they take turns. */
  readonly deviceIds: readonly string[];
  counts(): SimulationCounts;
  /** Acknowledged readings per second so far. */
  achievedRate(): number;
  /** Resolves when `limit` or `durationMs` is reached and every reading is done. */
  readonly done: Promise<SimulationReport>;
  /** Stops generating, waits for readings in flight (up to `graceMs`), disconnects. */
  stop(graceMs?: number): Promise<SimulationReport>;
  connected(): boolean;
}

/**
 * Starts N simulated devices publishing to MQTT at a total `rate` per second (see
 * `SimulationOptions`): the library entry of the simulator, used by its service, the CLI
 * (`rtp simulate`) and benchmarks.
 *
 * @example
 * const sim = await startSimulation({ devices: 10, rate: 50, connection: config.platform.mqtt });
 * ...
 * const report = await sim.stop(); // { acknowledged, achievedRate, ... }
 */
export async function startSimulation(input: StartSimulationOptions): Promise<SimulationHandle> {
  const { connection, logger, onAcknowledged, onFailed, clock, ...rest } = input;
  const options = resolveSimulationOptions(rest);
  const fleet = new SimulatedFleet({
    devices: options.devices,
    seed: options.seed,
    deviceIdPrefix: options.deviceIdPrefix,
    malformedRatio: options.malformedRatio,
    heartRateSpikeRatio: options.heartRateSpikeRatio,
  });
  const publisher = await MqttReadingPublisher.connect({
    connection,
    topic: options.topic,
    qos: options.qos,
    connections: Math.min(options.connections, options.devices),
    maxInFlightPerConnection: options.maxInFlightPerConnection,
    clientIdPrefix: options.clientIdPrefix,
    protocolVersion: options.protocolVersion,
    ...(logger === undefined ? {} : { logger }),
  });
  const simulation = new Simulation({
    fleet,
    publisher,
    pacing: {
      rate: options.rate,
      tickMs: options.tickMs,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    },
    ...(clock === undefined ? {} : { clock }),
    ...(onAcknowledged === undefined ? {} : { onAcknowledged }),
    ...(onFailed === undefined ? {} : { onFailed }),
  });
  simulation.start();
  let stopping: Promise<SimulationReport> | undefined;
  const stop = (graceMs = 10_000): Promise<SimulationReport> => {
    stopping ??= (async () => {
      const report = await simulation.stop(graceMs);
      await publisher.close(publisher.inFlight() > 0);
      return report;
    })();
    return stopping;
  };
  // When the run ends by itself, disconnect too.
  const done = simulation.done.then(async (report) => {
    await stop();
    return report;
  });
  return {
    options,
    deviceIds: fleet.devices.map((device) => device.deviceId),
    counts: () => simulation.counts(),
    achievedRate: () => simulation.achievedRate(),
    done,
    stop,
    connected: () => publisher.connected(),
  };
}
