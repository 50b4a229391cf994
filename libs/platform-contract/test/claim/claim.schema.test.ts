import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import {
  claimCelRules,
  claimSpecSchema,
  validateClaimSpec,
  type ClaimJsonSchema,
} from '../../src/index.js';

/** A real JSON Schema validator, as Helm runs values.schema.json, with the Kubernetes keywords known. */
function compileWithAjv() {
  const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true });
  for (const keyword of [
    'x-kubernetes-validations',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
  ]) {
    ajv.addKeyword(keyword);
  }
  return ajv.compile(structuredClone(claimSpecSchema));
}

/** Claims whose verdict a JSON Schema can decide on its own (no cross-field or list-key rule). */
const schemaDecidable: readonly [string, unknown, boolean][] = [
  ['only a name', { name: 'health-data' }, true],
  [
    'every field',
    {
      name: 'health-data',
      database: 'postgres',
      visualization: 'grafana',
      iot: true,
      streamProcessing: 'lenses',
      mqttUsers: [{ username: 'device', passwordSecretRef: { name: 'devices', key: 'device' } }],
      dataRetention: '30d',
      scaling: { minReplicas: 2, maxReplicas: 4 },
      snowflake: { enabled: true, credentialsSecret: 'snowflake-keys' },
      topics: [{ name: 'extra', partitions: 3, retention: '1w' }],
    },
    true,
  ],
  ['no name', { iot: true }, false],
  ['database: oracle', { name: 'p', database: 'oracle' }, false],
  ['database: mysql', { name: 'p', database: 'mysql' }, true],
  ['database: mongodb', { name: 'p', database: 'mongodb' }, true],
  ['dataRetention: 7x', { name: 'p', dataRetention: '7x' }, false],
  ['visualization: tableau', { name: 'p', visualization: 'tableau' }, false],
  ['scaling.minReplicas: 0', { name: 'p', scaling: { minReplicas: 0 } }, false],
  ['a name too long', { name: 'a'.repeat(42) }, false],
  ['an upper-case name', { name: 'Health' }, false],
  ['iot as a string', { name: 'p', iot: 'true' }, false],
  ['a topic without name', { name: 'p', topics: [{ partitions: 2 }] }, false],
  [
    'a device password reference without key',
    { name: 'p', mqttUsers: [{ username: 'd', passwordSecretRef: { name: 'devices' } }] },
    false,
  ],
  [
    'a device password reference to an invalid Secret name',
    { name: 'p', mqttUsers: [{ username: 'd', passwordSecretRef: { name: 'Devices', key: 'd' } }] },
    false,
  ],
  [
    '101 topics',
    { name: 'p', topics: Array.from({ length: 101 }, (_, i) => ({ name: `t${i}` })) },
    false,
  ],
];

describe('claimSpecSchema', () => {
  it('compiles under a strict JSON Schema validator', () => {
    expect(() => compileWithAjv()).not.toThrow();
  });

  it.each(schemaDecidable)('agrees with validateClaimSpec on %s', (_label, claim, valid) => {
    const validate = compileWithAjv();
    expect(validate(structuredClone(claim))).toBe(valid);
    expect(validateClaimSpec(claim).ok).toBe(valid);
  });

  it('gives a JSON Schema validator the same defaults as validateClaimSpec', () => {
    const validate = compileWithAjv();
    const data = { name: 'p', topics: [{ name: 'extra' }] };
    expect(validate(data)).toBe(true);
    const result = validateClaimSpec({ name: 'p', topics: [{ name: 'extra' }] });
    expect(result.ok && result.spec).toEqual(data);
  });

  it('keeps the requirements XRD fields with their types, defaults and retention pattern', () => {
    const p = claimSpecSchema.properties;
    expect(claimSpecSchema.required).toEqual(['name']);
    expect([p.name.type, p.database.default, p.visualization.default, p.iot.default]).toEqual([
      'string',
      'postgres',
      'metabase',
      true,
    ]);
    expect(p.visualization.enum).toEqual(['metabase', 'grafana']);
    expect([p.dataRetention.pattern, p.dataRetention.default]).toEqual(['^[0-9]+[dwm]$', '7d']);
    expect(p.scaling.properties.minReplicas).toMatchObject({
      type: 'integer',
      minimum: 1,
      default: 1,
    });
    expect(p.scaling.properties.maxReplicas).toMatchObject({
      type: 'integer',
      minimum: 1,
      default: 5,
    });
    expect(p.snowflake.properties.enabled).toMatchObject({ type: 'boolean', default: false });
    expect(p.snowflake.properties.credentialsSecret.type).toBe('string');
    expect(p.mqttUsers.items.properties.username.type).toBe('string');
    expect(p.mqttUsers.items.required).toEqual(['username', 'passwordSecretRef']);
    expect(p.mqttUsers.items.properties.passwordSecretRef.required).toEqual(['name', 'key']);
    // Declared only so that the API server can refuse it with a message (CEL), not prune it.
    expect(p.mqttUsers.items['x-kubernetes-validations']).toEqual([
      claimCelRules.mqttPasswordInline,
    ]);
  });

  it('is a Kubernetes structural schema: typed nodes, no additionalProperties, list-map keys required', () => {
    const problems: string[] = [];
    const visit = (schema: ClaimJsonSchema, path: string): void => {
      if (schema.type === undefined) problems.push(`${path} has no type`);
      if ('additionalProperties' in schema) problems.push(`${path} has additionalProperties`);
      for (const key of schema['x-kubernetes-list-map-keys'] ?? []) {
        if (!schema.items?.required?.includes(key))
          problems.push(`${path} map key ${key} optional`);
      }
      for (const [key, sub] of Object.entries(schema.properties ?? {}))
        visit(sub, `${path}.${key}`);
      if (schema.items !== undefined) visit(schema.items, `${path}[]`);
    };
    visit(claimSpecSchema, 'spec');
    expect(problems).toEqual([]);
  });
});
