import { describe, expect, it } from '@jest/globals';
import { retentionToMs, type SecretDefinition } from '@realtime-platform/platform-contract';
import { chartSecret, chartSecretKey, retentionUnits } from '../src/contract-files.js';

// The generator turns the contract's functions into data the templates read; what it cannot write
// as data must fail the build, not render something else.
const secret = (keys: SecretDefinition['keys']): SecretDefinition => ({
  id: 'db',
  suffix: 'db-secret',
  prefix: 'DB_',
  description: 'a test Secret',
  keys,
});

describe('contract files: retentionUnits', () => {
  it.each(Object.entries(retentionUnits()))(
    'gives unit %s the largest count retentionToMs accepts and its milliseconds',
    (unit, { ms, maxCount }) => {
      expect(retentionToMs(`${maxCount}${unit}`)).toBe(maxCount * ms);
      expect(() => retentionToMs(`${maxCount + 1}${unit}`)).toThrow();
    },
  );
});

describe('contract files: chartSecret', () => {
  it('writes a setting as a constant, a claim option or the enabled flag', () => {
    const definition = secret([
      { key: 'DB_A', kind: 'setting', format: 'name', value: () => 'fixed', description: '' },
      { key: 'DB_B', kind: 'setting', format: 'enum', value: (s) => s.database, description: '' },
    ]);
    expect(definition.keys.map((key) => chartSecretKey(definition, key))).toEqual([
      { key: 'DB_A', kind: 'setting', value: 'fixed' },
      { key: 'DB_B', kind: 'setting', field: 'database' },
    ]);
  });

  it('fails on a setting the chart cannot render from data', () => {
    const definition = secret([
      {
        key: 'DB_X',
        kind: 'setting',
        format: 'name',
        value: (s) => `${s.database}-${s.visualization}`,
        description: '',
      },
    ]);
    expect(() => chartSecret(definition)).toThrow(/DB_X/);
  });

  it('fails on a Secret with two passwords (the chart fills one login)', () => {
    const definition = secret([
      { key: 'DB_P1', kind: 'credential', sensitive: true, description: '' },
      { key: 'DB_P2', kind: 'credential', sensitive: true, description: '' },
    ]);
    expect(() => chartSecret(definition)).toThrow(/more than one/);
  });
});
