import { jestConfig } from '../config/jest.preset.js';

// One file at a time: the readiness proofs share one loopback platform per file and two cores.
export default jestConfig({ rootDir: import.meta.dirname, maxWorkers: 1, testTimeout: 180_000 });
