import type { RealtimePlatformError } from '@realtime-platform/errors';
import { contractErrors } from '../contract.errors.js';
import { dlqSuffix } from '../topics/topic.catalog.js';
import { claimSpecSchema, type ClaimJsonSchema } from './claim.schema.js';
import type { RealtimePlatformSpec } from './claim.types.js';
import { retentionToMs } from './retention.converter.js';

export type ClaimValidationResult =
  | { readonly ok: true; readonly spec: RealtimePlatformSpec }
  | { readonly ok: false; readonly errors: readonly RealtimePlatformError[] };

/** What a value must look like, for pattern errors, by schema location (`[]` = any list index). */
export const claimPatternHints: Readonly<Record<string, string>> = {
  'spec.name':
    'a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, not ending with "-")',
  'spec.mqttUsers[].username':
    'a device name without ":", white space, "/", "+" or "#" (it is a level of the device\'s topic)',
  'spec.mqttUsers[].passwordSecretRef.name': 'a Secret name (a DNS-1123 subdomain)',
  'spec.mqttUsers[].passwordSecretRef.key': 'a Secret key (letters, digits, "-", "_" and ".")',
  'spec.dataRetention':
    'a number followed by d (days), w (weeks) or m (months of 30 days), e.g. 7d',
  'spec.snowflake.credentialsSecret': 'a Secret name (a DNS-1123 subdomain)',
  'spec.topics[].name':
    'a Kafka topic name (letters, digits, ".", "_" and "-", starting with a letter or digit)',
  'spec.topics[].retention':
    'a number followed by d (days), w (weeks) or m (months of 30 days), e.g. 7d',
};

/**
 * Values the schema leaves out on purpose because they are planned, not implemented, by schema
 * location (refused with CLAIM_FIELD_NOT_IMPLEMENTED instead of NOT_ALLOWED). None today: the
 * requirements' databases mysql and mongodb are implemented.
 */
const plannedValues: Readonly<Record<string, readonly unknown[]>> = {};

const expectedType: Record<ClaimJsonSchema['type'], string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean (true or false)',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class SchemaWalker {
  readonly errors: RealtimePlatformError[] = [];

  /** Returns the defaulted value, or undefined when absent without default or invalid. */
  walk(schema: ClaimJsonSchema, input: unknown, path: string, where: string): unknown {
    // Kubernetes prunes null fields before defaulting; treat null as absent the same way.
    let value: unknown = input === null ? undefined : input;
    if (value === undefined) {
      if (schema.default === undefined) return undefined;
      value = structuredClone(schema.default);
    }
    switch (schema.type) {
      case 'object':
        return this.walkObject(schema, value, path, where);
      case 'array':
        return this.walkArray(schema, value, path, where);
      case 'string':
        return this.walkString(schema, value, path, where);
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value))
          return this.typeError(schema, value, path);
        if (schema.minimum !== undefined && value < schema.minimum) {
          this.errors.push(
            contractErrors.CLAIM_FIELD_TOO_FEW({ path, value, minimum: schema.minimum }),
          );
          return undefined;
        }
        if (schema.enum !== undefined && !schema.enum.includes(value)) {
          this.errors.push(
            contractErrors.CLAIM_FIELD_NOT_ALLOWED({ path, value, allowed: schema.enum }),
          );
          return undefined;
        }
        return value;
      case 'boolean':
        return typeof value === 'boolean' ? value : this.typeError(schema, value, path);
    }
  }

  private typeError(schema: ClaimJsonSchema, value: unknown, path: string): undefined {
    this.errors.push(
      contractErrors.CLAIM_FIELD_TYPE({
        path,
        expected: expectedType[schema.type],
        actual: describeValue(value),
      }),
    );
    return undefined;
  }

  private walkObject(schema: ClaimJsonSchema, value: unknown, path: string, where: string) {
    if (!isPlainObject(value)) return this.typeError(schema, value, path);
    const properties = schema.properties ?? {};
    const known = Object.keys(properties);
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.errors.push(
          contractErrors.CLAIM_FIELD_UNKNOWN({ path: `${path}.${key}`, allowed: known }),
        );
      }
    }
    for (const key of schema.required ?? []) {
      if (value[key] === undefined || value[key] === null) {
        this.errors.push(contractErrors.CLAIM_FIELD_REQUIRED({ path: `${path}.${key}` }));
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(properties)) {
      const result = this.walk(sub, value[key], `${path}.${key}`, `${where}.${key}`);
      if (result !== undefined) out[key] = result;
    }
    return out;
  }

  private walkArray(schema: ClaimJsonSchema, value: unknown, path: string, where: string) {
    if (!Array.isArray(value)) return this.typeError(schema, value, path);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      this.errors.push(
        contractErrors.CLAIM_FIELD_TOO_MANY_ITEMS({
          path,
          count: value.length,
          limit: schema.maxItems,
        }),
      );
    }
    const items = schema.items;
    const out =
      items === undefined
        ? [...value]
        : value.map((item, index) => this.walk(items, item, `${path}[${index}]`, `${where}[]`));
    for (const key of schema['x-kubernetes-list-map-keys'] ?? []) {
      const seen = new Map<string, string>();
      value.forEach((item, index) => {
        const id = isPlainObject(item) ? item[key] : undefined;
        if (typeof id !== 'string') return;
        const itemPath = `${path}[${index}].${key}`;
        const first = seen.get(id);
        if (first === undefined) seen.set(id, itemPath);
        else
          this.errors.push(
            contractErrors.CLAIM_FIELD_DUPLICATE({ path: itemPath, value: id, firstPath: first }),
          );
      });
    }
    return out;
  }

  private walkString(schema: ClaimJsonSchema, value: unknown, path: string, where: string) {
    if (typeof value !== 'string') return this.typeError(schema, value, path);
    if (schema.enum !== undefined && !schema.enum.includes(value)) {
      this.errors.push(
        plannedValues[where]?.includes(value)
          ? contractErrors.CLAIM_FIELD_NOT_IMPLEMENTED({ path, value, implemented: schema.enum })
          : contractErrors.CLAIM_FIELD_NOT_ALLOWED({ path, value, allowed: schema.enum }),
      );
      return undefined;
    }
    let valid = true;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      const hint = claimPatternHints[where] ?? 'a string matching the pattern';
      this.errors.push(
        contractErrors.CLAIM_FIELD_PATTERN({ path, value, pattern: schema.pattern, hint }),
      );
      valid = false;
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      this.errors.push(
        contractErrors.CLAIM_FIELD_LENGTH({
          path,
          length: value.length,
          limit: schema.maxLength,
          bound: 'at most',
        }),
      );
      valid = false;
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      this.errors.push(
        contractErrors.CLAIM_FIELD_LENGTH({
          path,
          length: value.length,
          limit: schema.minLength,
          bound: 'at least',
        }),
      );
      valid = false;
    }
    return valid ? value : undefined;
  }
}

/** The rules of `claimCelRules`, on a walked (defaulted) spec. */
function checkCrossFieldRules(
  spec: Partial<RealtimePlatformSpec>,
  errors: RealtimePlatformError[],
) {
  if (spec.iot === false && (spec.mqttUsers?.length ?? 0) > 0) {
    errors.push(contractErrors.CLAIM_MQTT_USERS_WITHOUT_IOT({ path: 'spec.mqttUsers' }));
  }
  spec.mqttUsers?.forEach((user, index) => {
    if (isPlainObject(user) && 'password' in user) {
      errors.push(
        contractErrors.CLAIM_MQTT_PASSWORD_INLINE({ path: `spec.mqttUsers[${index}].password` }),
      );
    }
  });
  if (spec.visualization === 'grafana' && spec.database === 'mongodb') {
    errors.push(
      contractErrors.CLAIM_DASHBOARD_CANNOT_READ_DATABASE({
        path: 'spec.visualization',
        visualization: spec.visualization,
        database: spec.database,
      }),
    );
  }
  const { minReplicas, maxReplicas } = spec.scaling ?? {};
  if (minReplicas !== undefined && maxReplicas !== undefined && minReplicas > maxReplicas) {
    errors.push(
      contractErrors.CLAIM_SCALING_MIN_ABOVE_MAX({
        path: 'spec.scaling.minReplicas',
        minReplicas,
        maxReplicas,
      }),
    );
  }
  if (spec.snowflake?.enabled === true && spec.snowflake.credentialsSecret === undefined) {
    errors.push(
      contractErrors.CLAIM_SNOWFLAKE_SECRET_MISSING({ path: 'spec.snowflake.credentialsSecret' }),
    );
  }
  spec.topics?.forEach((topic, index) => {
    if (topic?.name?.endsWith(dlqSuffix)) {
      errors.push(
        contractErrors.CLAIM_TOPIC_NAME_RESERVED({
          path: `spec.topics[${index}].name`,
          value: topic.name,
        }),
      );
    }
  });
  const retentions: [string, string | undefined][] = [
    ['spec.dataRetention', spec.dataRetention],
    ...(spec.topics ?? []).map((t, i): [string, string | undefined] => [
      `spec.topics[${i}].retention`,
      t?.retention,
    ]),
  ];
  for (const [path, value] of retentions) {
    if (value === undefined) continue;
    try {
      retentionToMs(value);
    } catch (cause) {
      errors.push(contractErrors.CLAIM_RETENTION_TOO_LONG({ path, value }, { cause }));
    }
  }
}

/**
 * Validates a claim's `spec` against `claimSpecSchema` plus the cross-field rules, and applies the
 * defaults. Never throws: every problem is a coded error whose `details.path` names the field
 * (`spec.dataRetention`, `spec.topics[2].name`). Unknown fields are errors here, so typos fail early.
 */
export function validateClaimSpec(input: unknown): ClaimValidationResult {
  const walker = new SchemaWalker();
  if (input === undefined || input === null) {
    return { ok: false, errors: [contractErrors.CLAIM_FIELD_REQUIRED({ path: 'spec' })] };
  }
  const spec = walker.walk(claimSpecSchema, input, 'spec', 'spec');
  if (isPlainObject(spec))
    checkCrossFieldRules(spec as Partial<RealtimePlatformSpec>, walker.errors);
  if (walker.errors.length > 0) return { ok: false, errors: walker.errors };
  return { ok: true, spec: spec as unknown as RealtimePlatformSpec };
}

/** `validateClaimSpec`, throwing RTP_ERR_CONTRACT_CLAIM_INVALID (single errors in `cause`). */
export function parseClaimSpec(input: unknown): RealtimePlatformSpec {
  const result = validateClaimSpec(input);
  if (result.ok) return result.spec;
  throw contractErrors.CLAIM_INVALID(
    { problems: result.errors.map((error) => error.message) },
    { cause: new AggregateError(result.errors, 'claim validation errors') },
  );
}
