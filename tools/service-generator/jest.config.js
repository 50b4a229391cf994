import { jestConfig } from '../../tools/config/jest.preset.js';

// The generated service's own unit tests run inside these tests: one worker, generous timeouts.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1, testTimeout: 300_000 });
