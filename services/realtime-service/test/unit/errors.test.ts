import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { applicationErrors } from '../../src/application/index.js';
import { domainErrors } from '../../src/domain/index.js';
import { infrastructureErrors } from '../../src/infrastructure/infrastructure.errors.js';
import { apiErrors } from '../../src/interface/http/api.errors.js';
import { statusOfCode } from '../../src/interface/http/api-error.handler.js';

const tables = { domainErrors, applicationErrors, infrastructureErrors, apiErrors };
const codes = Object.values(tables).flatMap((table) =>
  Object.values(table).map((factory) => (factory as { code: string }).code),
);

describe('error codes', () => {
  it('share one prefix and never repeat across the layer tables', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^RTP_ERR_REALTIME_SERVICE_[A-Z0-9_]+$/);
  });

  it('are all documented in the README, with the status the API answers', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('<!-- errors:start -->'),
      readme.indexOf('<!-- errors:end -->'),
    );
    const rows = new Map(
      [...section.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => [m[1], m[2]]),
    );
    expect([...rows.keys()].sort()).toEqual([...codes].sort());
    for (const [code, status] of Object.entries(statusOfCode))
      expect(rows.get(code)).toBe(String(status));
  });

  it('are retriable only where a retry can help (the database being down)', () => {
    const retriable = codes.filter((code) => {
      const factory = Object.values(tables)
        .flatMap((table) => Object.values(table))
        .find((f) => (f as { code: string }).code === code) as (p: never) => { retriable: boolean };
      // Any parameter reads as an empty list (every message renders).
      const params = new Proxy({}, { get: () => [] });
      return factory(params as never).retriable;
    });
    expect(retriable).toEqual([infrastructureErrors.DATABASE_UNAVAILABLE.code]);
  });
});
