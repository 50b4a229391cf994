import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  dlqSuffix,
  parseClaimSpec,
  retentionToMs,
  secretCatalog,
  type SecretDefinition,
} from '@realtime-platform/platform-contract';
import {
  chartSecret,
  chartSecretKey,
  chartsRoot,
  connectionParts,
  kafkaSecurity,
  retentionUnits,
  secretLogin,
  withContractSchema,
} from '../src/contract-files.js';

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

describe('contract files: the key names the templates read', () => {
  const login: SecretDefinition['keys'] = [
    { key: 'DB_U', kind: 'credential', sensitive: false, description: '' },
    { key: 'DB_P', kind: 'credential', sensitive: true, description: '' },
  ];

  it("names a Secret's login keys, and none for a Secret without credentials", () => {
    expect(secretLogin(secret(login))).toEqual({ username: 'DB_U', password: 'DB_P' });
    expect(secretLogin(secret([]))).toBeUndefined();
  });

  it('names the parts of a connection key by role, and fails when one is missing', () => {
    const endpoint = (key: string, format: 'host' | 'port') =>
      ({
        key,
        kind: 'endpoint',
        format,
        services: ['postgresql'],
        port: 'postgresql',
        description: '',
      }) as const;
    const name = {
      key: 'DB_N',
      kind: 'setting',
      format: 'name',
      value: () => 'x',
      description: '',
    };
    const type = {
      key: 'DB_T',
      kind: 'setting',
      format: 'enum',
      value: () => 'y',
      description: '',
    };
    const complete = secret([
      ...login,
      endpoint('DB_H', 'host'),
      endpoint('DB_O', 'port'),
      name,
      type,
    ] as SecretDefinition['keys']);
    expect(connectionParts(complete)).toEqual({
      username: 'DB_U',
      password: 'DB_P',
      host: 'DB_H',
      port: 'DB_O',
      database: 'DB_N',
      type: 'DB_T',
    });
    const withoutHost = secret([
      ...login,
      endpoint('DB_O', 'port'),
      name,
      type,
    ] as SecretDefinition['keys']);
    expect(() => connectionParts(withoutHost)).toThrow(/no key holds a host/);
  });

  it('gives the brokers the protocol and mechanism the kafka secret tells clients', () => {
    const kafka = (secretCatalog as readonly SecretDefinition[]).find((s) => s.id === 'kafka');
    const values = Object.fromEntries(
      (kafka?.keys ?? [])
        .filter((key) => key.kind === 'setting')
        .map((key) => [key.key, key.value(parseClaimSpec({ name: 'x' }))]),
    );
    const { protocol, saslMechanism } = kafkaSecurity();
    expect(Object.values(values)).toEqual(expect.arrayContaining([protocol, saslMechanism]));
    expect(protocol).toBe(values.KAFKA_SECURITY_PROTOCOL);
    expect(saslMechanism).toBe(values.KAFKA_SASL_MECHANISM);
  });
});

describe('contract files: the CEL rules in values.schema.json', () => {
  const committed = async (): Promise<Record<string, unknown>> =>
    JSON.parse(
      await readFile(join(chartsRoot, 'realtime-platform', 'values.schema.json'), 'utf8'),
    ) as Record<string, unknown>;
  const celRules = (schema: Record<string, unknown>) =>
    (schema.allOf as { $comment?: string }[]).filter((rule) =>
      rule.$comment?.startsWith('CEL rule '),
    );

  it('rewrites a hand-edited twin of a CEL rule from the contract', async () => {
    const schema = await committed();
    const edited = structuredClone(schema);
    for (const rule of celRules(edited)) {
      if (rule.$comment?.includes('topicNameReserved')) {
        Object.assign(rule, { properties: { platform: { properties: {} } } });
      }
    }
    expect(withContractSchema('realtime-platform', edited)).toEqual(
      withContractSchema('realtime-platform', schema),
    );
    expect(JSON.stringify(celRules(withContractSchema('realtime-platform', edited)))).toContain(
      `"pattern":"${dlqSuffix.replace('.', '\\\\.')}$"`,
    );
  });

  it('adds a missing twin and keeps the chart-written rules in place', async () => {
    const schema = await committed();
    const without = structuredClone(schema);
    without.allOf = (without.allOf as { $comment?: string }[]).filter(
      (rule) => !rule.$comment?.includes('mqttUsersWithoutIot'),
    );
    const names = (s: Record<string, unknown>) =>
      (s.allOf as { $comment?: string }[]).map((rule) => rule.$comment?.split(':')[0]);
    const rebuilt = withContractSchema('realtime-platform', without);
    expect(names(rebuilt).sort()).toEqual(
      names(withContractSchema('realtime-platform', schema)).sort(),
    );
    expect(names(rebuilt).at(-1)).toBe('CEL rule mqttUsersWithoutIot');
  });
});
