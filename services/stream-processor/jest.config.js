import { jestConfig } from '../../tools/config/jest.preset.js';

// The e2e suites start a real broker, a registry and the service process: one file at a time.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1, testTimeout: 180_000 });
