import { jestConfig } from './jest.preset.js';

export default jestConfig({ rootDir: import.meta.dirname });
