import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartsRoot, generatedChartFiles } from '../src/contract-files.js';

// Like the addon's generated CUE and fastify's config-validator integrity check: the committed
// files - each contract chart's files/contract.json and the contract-owned parts of its
// values.schema.json - are what the generator writes from the platform contract today. Fix a
// failure with `npx nx run charts:build`.
const files = await generatedChartFiles();

describe('generated files', () => {
  it('covers the contract data and values schema of iot-broker and realtime-platform', () => {
    expect(Object.keys(files).sort()).toEqual([
      'iot-broker/files/contract.json',
      'iot-broker/values.schema.json',
      'realtime-platform/files/contract.json',
      'realtime-platform/values.schema.json',
    ]);
  });

  it.each(Object.entries(files))('%s is up to date with the platform contract', (path, content) => {
    const file = join(chartsRoot, path);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });
});
