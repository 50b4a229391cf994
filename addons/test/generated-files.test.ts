import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addonDir, generatedAddonFiles } from '../src/index.js';

// Like fastify's config-validator integrity check: the committed files are what the generator
// writes from the platform contract today. Fix a failure with `npm run generate -w @realtime-platform/addons`.
describe('generated addon files', () => {
  for (const [path, content] of Object.entries(generatedAddonFiles())) {
    it(`${path} is up to date with the platform contract`, () => {
      const file = join(addonDir, path);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(content);
    });
  }
});
