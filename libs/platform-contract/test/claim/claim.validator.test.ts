import { describe, expect, it } from '@jest/globals';
import { findErrorByCode, type RealtimePlatformError } from '@realtime-platform/errors';
import { contractErrors, parseClaimSpec, validateClaimSpec } from '../../src/index.js';

function errorsOf(input: unknown): RealtimePlatformError[] {
  const result = validateClaimSpec(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return [...result.errors];
}

/** The single error of a claim that has exactly one problem, as [code, path]. */
function onlyError(input: unknown): [string, unknown] {
  const errors = errorsOf(input);
  expect(errors.map((e) => e.message)).toHaveLength(1);
  const [error] = errors as [RealtimePlatformError];
  return [error.code, error.details.path];
}

describe('validateClaimSpec', () => {
  describe('defaults', () => {
    it('fills every default of the requirements when only name is given', () => {
      expect(validateClaimSpec({ name: 'health-data' })).toEqual({
        ok: true,
        spec: {
          name: 'health-data',
          database: 'postgres',
          visualization: 'metabase',
          iot: true,
          streamProcessing: 'builtin',
          kafkaBrokers: 1,
          mqttUsers: [],
          dataRetention: '7d',
          scaling: { minReplicas: 1, maxReplicas: 5 },
          snowflake: { enabled: false },
          topics: [],
        },
      });
    });

    it.each(['postgres', 'mysql', 'mongodb'])('accepts database: %s as given', (database) => {
      const result = validateClaimSpec({ name: 'p', database });
      expect(result.ok && result.spec.database).toBe(database);
    });

    it('fills nested defaults inside a partly given object and keeps the given values', () => {
      const result = validateClaimSpec({
        name: 'p',
        scaling: { maxReplicas: 9 },
        topics: [{ name: 'extra' }],
      });
      expect(result.ok && result.spec.scaling).toEqual({ minReplicas: 1, maxReplicas: 9 });
      expect(result.ok && result.spec.topics).toEqual([{ name: 'extra', partitions: 6 }]);
    });

    it('treats null like an absent field, as the Kubernetes API server does', () => {
      const result = validateClaimSpec({ name: 'p', visualization: null });
      expect(result.ok && result.spec.visualization).toBe('metabase');
    });

    it('does not modify its input', () => {
      const input = { name: 'p', scaling: {} };
      validateClaimSpec(input);
      expect(input).toEqual({ name: 'p', scaling: {} });
    });
  });

  describe('rejects, naming the field path', () => {
    it('a claim without name', () => {
      expect(onlyError({ iot: true })).toEqual([
        contractErrors.CLAIM_FIELD_REQUIRED.code,
        'spec.name',
      ]);
    });

    it('a missing spec', () => {
      expect(onlyError(undefined)).toEqual([contractErrors.CLAIM_FIELD_REQUIRED.code, 'spec']);
    });

    it('database: oracle', () => {
      expect(onlyError({ name: 'p', database: 'oracle' })).toEqual([
        contractErrors.CLAIM_FIELD_NOT_ALLOWED.code,
        'spec.database',
      ]);
    });

    it('database: oracle names the three engines it accepts', () => {
      const [error] = errorsOf({ name: 'p', database: 'oracle' });
      expect(error?.message).toBe(
        'spec.database must be one of "postgres", "mysql", "mongodb", got "oracle"',
      );
    });

    it('dataRetention: 7x with a hint of the syntax', () => {
      const [error] = errorsOf({ name: 'p', dataRetention: '7x' });
      expect(error?.code).toBe(contractErrors.CLAIM_FIELD_PATTERN.code);
      expect(error?.details.path).toBe('spec.dataRetention');
      expect(error?.message).toContain('d (days), w (weeks) or m (months of 30 days)');
    });

    it('visualization: tableau, listing the allowed values', () => {
      const [error] = errorsOf({ name: 'p', visualization: 'tableau' });
      expect([error?.code, error?.details.path]).toEqual([
        contractErrors.CLAIM_FIELD_NOT_ALLOWED.code,
        'spec.visualization',
      ]);
      expect(error?.message).toBe(
        'spec.visualization must be one of "metabase", "grafana", got "tableau"',
      );
    });

    it('scaling.minReplicas: 0', () => {
      expect(onlyError({ name: 'p', scaling: { minReplicas: 0 } })).toEqual([
        contractErrors.CLAIM_FIELD_TOO_FEW.code,
        'spec.scaling.minReplicas',
      ]);
    });

    it('scaling.maxReplicas: 0', () => {
      expect(onlyError({ name: 'p', scaling: { maxReplicas: 0 } })).toEqual([
        contractErrors.CLAIM_FIELD_TOO_FEW.code,
        'spec.scaling.maxReplicas',
      ]);
    });

    it('minReplicas above maxReplicas', () => {
      expect(onlyError({ name: 'p', scaling: { minReplicas: 4, maxReplicas: 3 } })).toEqual([
        contractErrors.CLAIM_SCALING_MIN_ABOVE_MAX.code,
        'spec.scaling.minReplicas',
      ]);
    });

    it('minReplicas above the default maxReplicas of 5', () => {
      const [error] = errorsOf({ name: 'p', scaling: { minReplicas: 6 } });
      expect(error?.message).toBe(
        'spec.scaling.minReplicas (6) must not exceed spec.scaling.maxReplicas (5)',
      );
    });

    it('a fractional replica count', () => {
      expect(onlyError({ name: 'p', scaling: { minReplicas: 1.5 } })).toEqual([
        contractErrors.CLAIM_FIELD_TYPE.code,
        'spec.scaling.minReplicas',
      ]);
    });

    it('iot given as a string', () => {
      const [error] = errorsOf({ name: 'p', iot: 'yes' });
      expect(error?.message).toBe(
        'spec.iot must be a boolean (true or false), got the string "yes"',
      );
    });

    it('an unknown field (a typo of a real one)', () => {
      expect(onlyError({ name: 'p', dataRetension: '7d' })).toEqual([
        contractErrors.CLAIM_FIELD_UNKNOWN.code,
        'spec.dataRetension',
      ]);
    });

    it('mqttUsers with iot: false instead of ignoring them', () => {
      expect(
        onlyError({
          name: 'p',
          iot: false,
          mqttUsers: [{ username: 'u', passwordSecretRef: { name: 'devices', key: 'u' } }],
        }),
      ).toEqual([contractErrors.CLAIM_MQTT_USERS_WITHOUT_IOT.code, 'spec.mqttUsers']);
    });

    it('visualization: grafana with database: mongodb, naming the field (Grafana cannot read MongoDB)', () => {
      const [error] = errorsOf({ name: 'p', visualization: 'grafana', database: 'mongodb' });
      expect([error?.code, error?.details.path]).toEqual([
        contractErrors.CLAIM_DASHBOARD_CANNOT_READ_DATABASE.code,
        'spec.visualization',
      ]);
      expect(error?.message).toContain('use visualization: metabase');
      // Metabase reads MongoDB; Grafana reads MySQL.
      expect(validateClaimSpec({ name: 'p', database: 'mongodb' }).ok).toBe(true);
      expect(validateClaimSpec({ name: 'p', visualization: 'grafana', database: 'mysql' }).ok).toBe(
        true,
      );
    });

    const ref = (key: string) => ({ name: 'devices', key });

    it('an mqtt user without a password reference, or with a colon in the name', () => {
      expect(onlyError({ name: 'p', mqttUsers: [{ username: 'u' }] })).toEqual([
        contractErrors.CLAIM_FIELD_REQUIRED.code,
        'spec.mqttUsers[0].passwordSecretRef',
      ]);
      expect(
        onlyError({ name: 'p', mqttUsers: [{ username: 'a:b', passwordSecretRef: ref('x') }] }),
      ).toEqual([contractErrors.CLAIM_FIELD_PATTERN.code, 'spec.mqttUsers[0].username']);
    });

    it('a device password in clear (the old form), naming the field and the way out', () => {
      const result = validateClaimSpec({
        name: 'p',
        mqttUsers: [
          { username: 'ok', passwordSecretRef: ref('ok') },
          { username: 'old', password: 'change-me-7', passwordSecretRef: ref('old') },
        ],
      });
      expect(result.ok).toBe(false);
      const errors = result.ok ? [] : result.errors;
      expect(errors.map((e) => [e.code, e.details.path])).toEqual([
        [contractErrors.CLAIM_MQTT_PASSWORD_INLINE.code, 'spec.mqttUsers[1].password'],
      ]);
      expect(errors[0]?.message).toContain('give passwordSecretRef: {name, key}');
      // The password itself is never echoed.
      expect(errors[0]?.message).not.toContain('change-me-7');
    });

    it('two mqtt users with the same name', () => {
      const users = [
        { username: 'dev', passwordSecretRef: ref('a') },
        { username: 'dev', passwordSecretRef: ref('b') },
      ];
      expect(onlyError({ name: 'p', mqttUsers: users })).toEqual([
        contractErrors.CLAIM_FIELD_DUPLICATE.code,
        'spec.mqttUsers[1].username',
      ]);
    });

    it('snowflake enabled without its credentials secret', () => {
      expect(onlyError({ name: 'p', snowflake: { enabled: true } })).toEqual([
        contractErrors.CLAIM_SNOWFLAKE_SECRET_MISSING.code,
        'spec.snowflake.credentialsSecret',
      ]);
    });

    it('a declared topic ending in .dlq, a bad topic name and a bad topic retention', () => {
      expect(onlyError({ name: 'p', topics: [{ name: 'x.dlq' }] })).toEqual([
        contractErrors.CLAIM_TOPIC_NAME_RESERVED.code,
        'spec.topics[0].name',
      ]);
      expect(onlyError({ name: 'p', topics: [{ name: 'ok' }, { name: '__consumer' }] })).toEqual([
        contractErrors.CLAIM_FIELD_PATTERN.code,
        'spec.topics[1].name',
      ]);
      expect(onlyError({ name: 'p', topics: [{ name: 'ok', retention: '1y' }] })).toEqual([
        contractErrors.CLAIM_FIELD_PATTERN.code,
        'spec.topics[0].retention',
      ]);
    });

    it('a retention too long for milliseconds', () => {
      expect(onlyError({ name: 'p', dataRetention: '9999999999999m' })).toEqual([
        contractErrors.CLAIM_RETENTION_TOO_LONG.code,
        'spec.dataRetention',
      ]);
    });

    it('more than 100 declared topics', () => {
      const topics = Array.from({ length: 101 }, (_, i) => ({ name: `t${i}` }));
      expect(onlyError({ name: 'p', topics })).toEqual([
        contractErrors.CLAIM_FIELD_TOO_MANY_ITEMS.code,
        'spec.topics',
      ]);
    });

    it('reports every problem at once, not only the first', () => {
      const errors = errorsOf({
        database: 'oracle',
        dataRetention: '7x',
        visualization: 'tableau',
      });
      expect(errors.map((e) => e.details.path).sort()).toEqual([
        'spec.dataRetention',
        'spec.database',
        'spec.name',
        'spec.visualization',
      ]);
    });

    it('with non-retriable errors', () => {
      expect(errorsOf({}).every((e) => e.retriable === false)).toBe(true);
    });
  });

  describe('name', () => {
    it('accepts a name of exactly 41 characters and rejects one of 42', () => {
      expect(validateClaimSpec({ name: 'a'.repeat(41) }).ok).toBe(true);
      expect(onlyError({ name: 'a'.repeat(42) })).toEqual([
        contractErrors.CLAIM_FIELD_LENGTH.code,
        'spec.name',
      ]);
    });

    it.each(['Health', '1health', 'health-', 'health_data', 'health.data', ''])(
      'rejects %j, which is not a DNS-1035 label',
      (name) => {
        expect(onlyError({ name })).toEqual([contractErrors.CLAIM_FIELD_PATTERN.code, 'spec.name']);
      },
    );

    it.each(['a', 'health-data', 'h2o-2'])('accepts %j', (name) => {
      expect(validateClaimSpec({ name }).ok).toBe(true);
    });
  });
});

describe('parseClaimSpec', () => {
  it('returns the defaulted spec', () => {
    expect(parseClaimSpec({ name: 'p', iot: false }).iot).toBe(false);
  });

  it('throws one CLAIM_INVALID listing every problem, with the single errors as cause', () => {
    let thrown: unknown;
    try {
      parseClaimSpec({ name: 'p', dataRetention: '7x', scaling: { minReplicas: 0 } });
    } catch (error) {
      thrown = error;
    }
    expect(contractErrors.CLAIM_INVALID.is(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('spec.dataRetention');
    expect((thrown as Error).message).toContain('spec.scaling.minReplicas');
    expect(findErrorByCode(thrown, contractErrors.CLAIM_FIELD_TOO_FEW.code)?.details.path).toBe(
      'spec.scaling.minReplicas',
    );
  });
});
