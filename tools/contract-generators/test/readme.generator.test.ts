import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { contractErrors, secretCatalog } from '@realtime-platform/platform-contract';
import { syncReadme } from '../src/index.js';

const readme = readFileSync(
  new URL('../../../libs/platform-contract/README.md', import.meta.url),
  'utf8',
);

describe('README.md', () => {
  it('agrees with the model (else run `npm run docs -w @realtime-platform/contract-generators`)', () => {
    expect(readme).toBe(syncReadme(readme));
  });

  it('documents every secret key and every error code', () => {
    const keys = secretCatalog.flatMap((secret) => secret.keys.map((key) => key.key));
    expect(keys.filter((key) => !readme.includes(`| \`${key}\` |`))).toEqual([]);
    const codes = Object.values(contractErrors).map((factory) => factory.code);
    expect(codes.filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
  });
});

describe('syncReadme', () => {
  it('rewrites a stale region and leaves the text around it', () => {
    const stale = readme.replace('| `DB_NAME` |', '| `DB_DATABASE` |');
    expect(stale).not.toBe(readme);
    expect(syncReadme(stale)).toBe(readme);
  });

  it('fails when a region is missing', () => {
    expect(() => syncReadme('# nothing here')).toThrow('<!-- contract:services:start -->');
  });
});
