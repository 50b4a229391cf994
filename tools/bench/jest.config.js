import { jestConfig } from '../../tools/config/jest.preset.js';

// The baseline test starts a broker, a registry and a JVM: one file at a time.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1, testTimeout: 300_000 });
