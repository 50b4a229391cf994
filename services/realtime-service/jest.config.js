import { jestConfig } from '../../tools/config/jest.preset.js';

// The integration suites start real brokers and the built service: one worker keeps the loaded
// machine (and the other suites) responsive.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1 });
