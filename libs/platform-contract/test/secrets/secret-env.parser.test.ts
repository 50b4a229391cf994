import { describe, expect, it } from '@jest/globals';
import { findErrorByCode, type RealtimePlatformError } from '@realtime-platform/errors';
import {
  checkPlatformEnv,
  contractErrors,
  credentialKeys,
  describePlatform,
  parsePlatformEnv,
  renderSecretData,
  type PlatformCredentials,
  type PlatformEnv,
  type RealtimePlatformSpecInput,
} from '../../src/index.js';

const credentials: PlatformCredentials = Object.fromEntries(
  credentialKeys.map((key) => [key, `s3cret-${key.toLowerCase()}`]),
);

/** The environment a pod gets from `envFrom` of the five rendered secrets. */
function envFor(claim: RealtimePlatformSpecInput): Record<string, string> {
  const platform = describePlatform({ namespace: 'apps', claim });
  return Object.assign({}, ...renderSecretData(platform, credentials).map((s) => s.stringData));
}

function errorsOf(env: PlatformEnv): RealtimePlatformError[] {
  const result = checkPlatformEnv(env, { platformName: 'health-data' });
  if (result.ok) throw new Error('expected the env to be rejected');
  return [...result.errors];
}

describe('parsePlatformEnv', () => {
  it('reads back what renderSecretData wrote, typed', () => {
    const connections = parsePlatformEnv(
      envFor({ name: 'health-data', streamProcessing: 'lenses' }),
    );
    expect(connections).toEqual({
      mqtt: {
        host: 'health-data-mqtt.apps.svc.cluster.local',
        port: 1883,
        url: 'mqtt://health-data-mqtt.apps.svc.cluster.local:1883',
        wsPort: 9001,
        wsUrl: 'ws://health-data-mqtt.apps.svc.cluster.local:9001/mqtt',
        username: 's3cret-mqtt_username',
        password: 's3cret-mqtt_password',
      },
      kafka: {
        bootstrapServers: ['health-data-kafka.apps.svc.cluster.local:9092'],
        schemaRegistryUrl: 'http://health-data-schema-registry.apps.svc.cluster.local:8081',
        connectUrl: 'http://health-data-kafka-connect.apps.svc.cluster.local:8083',
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'SCRAM-SHA-512',
        username: 's3cret-kafka_username',
        password: 's3cret-kafka_password',
      },
      db: {
        type: 'postgres',
        host: 'health-data-postgresql.apps.svc.cluster.local',
        port: 5432,
        database: 'realtime',
        user: 's3cret-db_user',
        password: 's3cret-db_password',
        url: 'postgresql://s3cret-db_user:s3cret-db_password@health-data-postgresql.apps.svc.cluster.local:5432/realtime',
      },
      dashboard: {
        type: 'metabase',
        url: 'http://health-data-metabase.apps.svc.cluster.local:3000',
        user: 's3cret-dashboard_user',
        password: 's3cret-dashboard_password',
      },
      lenses: { url: 'http://health-data-lenses-hq.apps.svc.cluster.local:9991' },
    });
  });

  it('refuses a DB_URL of another engine than DB_TYPE, without showing it (it has the password)', () => {
    const env = envFor({ name: 'p', database: 'mysql' });
    env.DB_URL = String(env.DB_URL).replace('mysql://', 'postgresql://');
    const errors = errorsOf(env);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('DB_URL')]);
    expect(errors[0]?.message).toContain('a mysql URL (DB_TYPE is mysql)');
    expect(errors[0]?.message).not.toContain('s3cret');
  });

  it.each(['mysql', 'mongodb'] as const)('reads the db secret of database: %s back', (database) => {
    const { db } = parsePlatformEnv(envFor({ name: 'p', database }));
    expect([db.type, new URL(db.url).protocol]).toEqual([database, `${database}:`]);
  });

  it('reports MQTT and Lenses as turned off, not missing, when their flags say false', () => {
    const connections = parsePlatformEnv(envFor({ name: 'p', iot: false }));
    expect(connections.mqtt).toBeUndefined();
    expect(connections.lenses).toBeUndefined();
    expect(connections.kafka.bootstrapServers).toEqual(['p-kafka.apps.svc.cluster.local:9092']);
  });

  it('accepts several bootstrap servers and local hosts (a development platform)', () => {
    const env = {
      ...envFor({ name: 'p' }),
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:39092, localhost:39093',
      DB_HOST: 'localhost',
    };
    const connections = parsePlatformEnv(env);
    expect(connections.kafka.bootstrapServers).toEqual(['127.0.0.1:39092', 'localhost:39093']);
    expect(connections.db.host).toBe('localhost');
  });

  it('fails naming the secret and the key of a missing value', () => {
    const { DB_PASSWORD: _removed, ...env } = envFor({ name: 'health-data' });
    const [error, ...others] = errorsOf(env);
    expect(others).toEqual([]);
    expect(error?.code).toBe(contractErrors.ENV_KEY_MISSING.code);
    expect(error?.details).toEqual({ secret: 'health-data-db-secret', key: 'DB_PASSWORD' });
    expect(error?.message).toBe(
      'health-data-db-secret: DB_PASSWORD is missing (is the secret injected with envFrom?)',
    );
  });

  it('says {name}-<part>-secret when it does not know the platform name', () => {
    const { KAFKA_CONNECT_URL: _removed, ...env } = envFor({ name: 'p' });
    const result = checkPlatformEnv(env);
    expect(result.ok ? undefined : result.errors[0]?.details.secret).toBe('{name}-kafka-secret');
  });

  it.each([
    ['DB_PORT', 'five', 'health-data-db-secret'],
    ['DB_PORT', '70000', 'health-data-db-secret'],
    ['MQTT_PORT', '', 'health-data-mqtt-secret'],
    ['MQTT_HOST', 'not a host', 'health-data-mqtt-secret'],
    ['MQTT_WS_URL', 'http://health-data-mqtt:9001', 'health-data-mqtt-secret'],
    ['KAFKA_BOOTSTRAP_SERVERS', 'health-data-kafka', 'health-data-kafka-secret'],
    ['KAFKA_SCHEMA_REGISTRY_URL', 'not a url', 'health-data-kafka-secret'],
    ['DASHBOARD_TYPE', 'tableau', 'health-data-metabase-secret'],
    ['MQTT_ENABLED', 'yes', 'health-data-mqtt-secret'],
  ])('rejects %s=%j as malformed, naming %s', (key, value, secret) => {
    const errors = errorsOf({ ...envFor({ name: 'health-data' }), [key]: value });
    expect(errors.map((e) => [e.code, e.details.secret, e.details.key])).toEqual([
      [contractErrors.ENV_KEY_MALFORMED.code, secret, key],
    ]);
    expect(errors[0]?.message).toContain(JSON.stringify(value));
  });

  it('never repeats a credential value in an error', () => {
    const errors = errorsOf({ ...envFor({ name: 'health-data' }), DB_PASSWORD: '' });
    expect(errors[0]?.code).toBe(contractErrors.ENV_KEY_MALFORMED.code);
    expect(errors[0]?.details).not.toHaveProperty('value');
  });

  it('reports a missing MQTT_ENABLED flag once instead of every MQTT key', () => {
    const env = Object.fromEntries(
      Object.entries(envFor({ name: 'health-data' })).filter(([key]) => !key.startsWith('MQTT_')),
    );
    expect(errorsOf(env).map((e) => e.details.key)).toEqual(['MQTT_ENABLED']);
  });

  it('lists every problem of an empty environment', () => {
    const keys = errorsOf({}).map((e) => e.details.key);
    expect(keys).toEqual([
      'MQTT_ENABLED',
      'KAFKA_BOOTSTRAP_SERVERS',
      'KAFKA_SECURITY_PROTOCOL',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_USERNAME',
      'KAFKA_PASSWORD',
      'KAFKA_SCHEMA_REGISTRY_URL',
      'KAFKA_CONNECT_URL',
      'DB_TYPE',
      'DB_HOST',
      'DB_PORT',
      'DB_NAME',
      'DB_USER',
      'DB_PASSWORD',
      'DB_URL',
      'DASHBOARD_TYPE',
      'DASHBOARD_URL',
      'DASHBOARD_USER',
      'DASHBOARD_PASSWORD',
      'LENSES_ENABLED',
    ]);
  });

  it('refuses a kafka secret that would turn authentication off', () => {
    const env = envFor({ name: 'health-data' });
    const plaintext = errorsOf({ ...env, KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' });
    expect(plaintext.map((e) => [e.code, e.details.key])).toEqual([
      [contractErrors.ENV_KEY_MALFORMED.code, 'KAFKA_SECURITY_PROTOCOL'],
    ]);
  });

  it('throws ENV_INVALID whose message names every key and whose cause holds the single errors', () => {
    const { DB_HOST: _h, KAFKA_CONNECT_URL: _c, ...env } = envFor({ name: 'health-data' });
    let thrown: unknown;
    try {
      parsePlatformEnv(env, { platformName: 'health-data' });
    } catch (error) {
      thrown = error;
    }
    expect(contractErrors.ENV_INVALID.is(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('health-data-db-secret: DB_HOST is missing');
    expect((thrown as Error).message).toContain(
      'health-data-kafka-secret: KAFKA_CONNECT_URL is missing',
    );
    expect(findErrorByCode(thrown, contractErrors.ENV_KEY_MISSING.code)?.details.secret).toBe(
      'health-data-kafka-secret',
    );
  });
});
