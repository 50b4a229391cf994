import { Counter, Gauge, type Registry } from 'prom-client';
import { malformedKinds } from '../domain/malformed-reading.factory.js';
import type { SimulationHandle } from './simulation.launcher.js';

/**
 * The simulator's series (`rtp_simulator_*`), read from the running simulation at scrape time:
 * nothing is counted twice, and the hot path pays nothing for metrics.
 */
export function registerSimulatorMetrics(
  registry: Registry,
  simulation: () => SimulationHandle | undefined,
): void {
  const registers = [registry];
  const counts = () => simulation()?.counts();
  const total = (name: string, help: string, read: () => number | undefined) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read() ?? 0);
      },
    });
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read() ?? 0);
      },
    });
  total(
    'rtp_simulator_readings_published_total',
    'readings handed to MQTT',
    () => counts()?.published,
  );
  total(
    'rtp_simulator_readings_acknowledged_total',
    'readings the broker acknowledged (QoS 1) or that were sent (QoS 0)',
    () => counts()?.acknowledged,
  );
  total(
    'rtp_simulator_readings_failed_total',
    'readings whose publish failed',
    () => counts()?.failed,
  );
  new Counter({
    name: 'rtp_simulator_readings_malformed_total',
    help: 'readings sent malformed on purpose, by kind',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      const malformed = counts()?.malformed;
      for (const kind of malformedKinds) this.inc({ kind }, malformed?.[kind] ?? 0);
    },
  });
  gauge(
    'rtp_simulator_readings_in_flight',
    'readings published and not yet acknowledged',
    () => counts()?.inFlight,
  );
  gauge(
    'rtp_simulator_readings_behind',
    'readings due by now and not yet published (the simulator lags the rate)',
    () => counts()?.behind,
  );
  gauge('rtp_simulator_achieved_rate', 'acknowledged readings per second since the start', () =>
    simulation()?.achievedRate(),
  );
  gauge(
    'rtp_simulator_target_rate',
    'readings per second asked for',
    () => simulation()?.options.rate,
  );
}
