import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { healthErrors } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('healthErrors', () => {
  it.each(Object.entries(healthErrors))('%s has code RTP_ERR_HEALTH_<key>', (key, factory) => {
    expect(factory.code).toBe(`RTP_ERR_HEALTH_${key}`);
  });

  it.each(Object.values(healthErrors).map((f) => f.code))(
    '%s is documented in the README',
    (code) => {
      expect(readme).toContain(`\`${code}\``);
    },
  );
});
