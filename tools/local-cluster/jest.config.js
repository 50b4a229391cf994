import { jestConfig } from '../../tools/config/jest.preset.js';

// One control plane at a time: each test file starts its own (~1 GB with everything running),
// and the machines have two cores.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1, testTimeout: 300_000 });
