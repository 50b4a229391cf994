/**
 * @realtime-platform/device-simulator - simulated health devices publishing HealthData over MQTT.
 * `startSimulation` is the library entry (the CLI and benchmarks use it); `node dist/main.js`
 * runs it as a service.
 */
export { simulatorErrors, simulatorErrorDocs } from './simulator.errors.js';
export { SeededRandom } from './domain/seeded-random.generator.js';
export { DeviceVitals, simulatedVitalRanges } from './domain/device-vitals.model.js';
export {
  malformReading,
  malformedKinds,
  type MalformedKind,
} from './domain/malformed-reading.factory.js';
export {
  SimulatedFleet,
  type FleetOptions,
  type SimulatedReading,
} from './domain/simulated-fleet.model.js';
export type {
  OutgoingPayload,
  ReadingPublisher,
} from './application/ports/reading-publisher.port.js';
export {
  defaultSimulationOptions,
  resolveSimulationOptions,
  type SimulationOptions,
  type SimulationOptionsInput,
} from './application/simulation.options.js';
export {
  Simulation,
  systemClock,
  type AcknowledgedReading,
  type SimulationClock,
  type SimulationCounts,
  type SimulationPacing,
  type SimulationReport,
} from './application/simulation.use-case.js';
export {
  startSimulation,
  type SimulationHandle,
  type StartSimulationOptions,
} from './infrastructure/simulation.launcher.js';
export { MqttReadingPublisher } from './infrastructure/mqtt-reading.publisher.js';
export { simulationOptionsFromEnv } from './infrastructure/config/service-config.js';
export { DeviceSimulatorService, type DeviceSimulatorServiceOptions } from './composition-root.js';
export {
  parseSimulatorArguments,
  simulatorUsage,
  type SimulatorArguments,
} from './interface/simulator.argv.js';
