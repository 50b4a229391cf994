import { jestConfig } from '../../tools/config/jest.preset.js';

// The CLIs are real binaries: a dry-run is ~1 s, a crossplane render a few seconds.
export default jestConfig({ rootDir: import.meta.dirname, testTimeout: 120_000 });
