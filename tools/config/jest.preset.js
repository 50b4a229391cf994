// Shared jest configuration. The workspace is native ESM ("type": "module"), so jest runs
// with --experimental-vm-modules and ts-jest emits ESM. ts-jest (not esbuild/swc) is used
// because tsyringe needs `emitDecoratorMetadata`; `isolatedModules` in tsconfig.base.json
// makes it transpile only - type checking is the job of `lint` (tsc --noEmit).
import { URL, fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * @param {{ rootDir: string } & import('jest').Config} options
 * @returns {import('jest').Config}
 */
export function jestConfig({ rootDir, ...overrides }) {
  return {
    rootDir,
    testEnvironment: here('./jest-environment.js'),
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    // Source files import siblings with the `.js` extension NodeNext requires; jest sees `.ts`.
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: `${rootDir}/tsconfig.json` }],
    },
    testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
    // Real brokers start in seconds, not milliseconds.
    testTimeout: 60_000,
    ...overrides,
  };
}
