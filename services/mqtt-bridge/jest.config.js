import { jestConfig } from '../../tools/config/jest.preset.js';

// Broker-heavy suites (real Kafka and Mosquitto per file): one file at a time on a 2-core machine.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1, testTimeout: 180_000 });
