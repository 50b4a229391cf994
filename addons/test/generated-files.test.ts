import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addonsRoot, generatedFiles } from '../src/index.js';

// Like fastify's config-validator integrity check: the committed files - the addon's and the
// composition function's contract.json and input CRD - are what the generator writes from the
// platform contract today. Fix a failure with `npx nx run addons:generate`.
describe('generated files', () => {
  for (const [path, content] of Object.entries(generatedFiles())) {
    it(`${path} is up to date with the platform contract`, () => {
      const file = join(addonsRoot, path);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(content);
    });
  }
});
