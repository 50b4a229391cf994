import { describe, expect, it } from '@jest/globals';
import {
  credentialKeys,
  isPlatformSecretKey,
  secretCatalog,
  secretName,
  type SecretDefinition,
} from '../../src/index.js';

const catalog = secretCatalog as readonly SecretDefinition[];
const allKeys = catalog.flatMap((secret) => secret.keys.map((key) => key.key));

describe('secretCatalog', () => {
  it('defines the five secrets of the requirements with their names', () => {
    expect(catalog.map((secret) => secretName('health-data', secret.id))).toEqual([
      'health-data-mqtt-secret',
      'health-data-kafka-secret',
      'health-data-db-secret',
      'health-data-metabase-secret',
      'health-data-lenses-secret',
    ]);
  });

  it('never puts one key in two secrets, since envFrom merges them into one environment', () => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const secret of catalog) {
      for (const { key } of secret.keys) {
        const first = seen.get(key);
        if (first !== undefined) repeated.push(`${key} in ${first} and ${secret.id}`);
        seen.set(key, secret.id);
      }
    }
    expect(repeated).toEqual([]);
    expect(allKeys.length).toBeGreaterThan(20);
  });

  it('starts every key with its secret prefix, and no prefix starts another', () => {
    for (const secret of catalog) {
      expect(secret.keys.filter((key) => !key.key.startsWith(secret.prefix))).toEqual([]);
      for (const other of catalog) {
        if (other !== secret) expect(other.prefix.startsWith(secret.prefix)).toBe(false);
      }
    }
  });

  it('uses portable env-var names', () => {
    expect(allKeys.filter((key) => !/^[A-Z][A-Z0-9_]*$/.test(key))).toEqual([]);
  });

  it('holds the connection details the requirements list for each secret', () => {
    const keysOf = (id: string) => catalog.find((s) => s.id === id)?.keys.map((k) => k.key);
    expect(keysOf('mqtt')).toEqual(
      expect.arrayContaining([
        'MQTT_HOST',
        'MQTT_PORT',
        'MQTT_USERNAME',
        'MQTT_PASSWORD',
        'MQTT_WS_URL',
      ]),
    );
    expect(keysOf('kafka')).toEqual(
      expect.arrayContaining([
        'KAFKA_BOOTSTRAP_SERVERS',
        'KAFKA_SCHEMA_REGISTRY_URL',
        'KAFKA_SECURITY_PROTOCOL',
        'KAFKA_SASL_MECHANISM',
        'KAFKA_USERNAME',
        'KAFKA_PASSWORD',
      ]),
    );
    expect(keysOf('db')).toEqual(
      expect.arrayContaining(['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD']),
    );
    expect(keysOf('metabase')).toEqual(
      expect.arrayContaining(['DASHBOARD_URL', 'DASHBOARD_USER', 'DASHBOARD_PASSWORD']),
    );
    expect(keysOf('lenses')).toEqual(['LENSES_ENABLED', 'LENSES_URL']);
  });

  it('marks every user name and password as a credential, and passwords as sensitive', () => {
    expect(credentialKeys).toEqual([
      'MQTT_USERNAME',
      'MQTT_PASSWORD',
      'KAFKA_USERNAME',
      'KAFKA_PASSWORD',
      'DB_USER',
      'DB_PASSWORD',
      'DASHBOARD_USER',
      'DASHBOARD_PASSWORD',
    ]);
    const sensitive = catalog.flatMap((s) =>
      s.keys.filter((k) => k.kind === 'credential' && k.sensitive).map((k) => k.key),
    );
    expect(sensitive).toEqual(allKeys.filter((key) => key.endsWith('PASSWORD')));
  });

  it('gives a flag key exactly to the secrets the claim can turn off', () => {
    for (const secret of catalog) {
      const flags = secret.keys.filter((k) => k.kind === 'setting' && k.format === 'flag');
      expect(flags.map((k) => k.key)).toEqual(
        secret.enabledWhen === undefined ? [] : [`${secret.prefix}ENABLED`],
      );
    }
  });

  it('recognises the env vars that belong to the platform secrets', () => {
    expect(isPlatformSecretKey('KAFKA_BOOTSTRAP_SERVERS')).toBe(true);
    expect(isPlatformSecretKey('DB_ANYTHING')).toBe(true);
    expect(isPlatformSecretKey('CONSUMER_GROUP')).toBe(false);
  });
});
