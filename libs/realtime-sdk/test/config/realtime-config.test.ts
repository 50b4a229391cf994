import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findErrorByCode } from '@realtime-platform/errors';
import { contractErrors, runtimeEnvCatalog } from '@realtime-platform/platform-contract';
import { loadRealtimeConfig, sdkEnvCatalog, sdkErrors } from '../../src/index.js';
import { platformEnv } from '../helpers/platform-env.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function secretsDir(secrets: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'rtp-secrets-'));
  dirs.push(root);
  for (const [secret, keys] of Object.entries(secrets)) {
    mkdirSync(join(root, secret));
    // What a Kubernetes secret volume also holds next to the keys.
    mkdirSync(join(root, secret, '..2026_01_01_00_00_00.000000000'));
    for (const [key, value] of Object.entries(keys)) writeFileSync(join(root, secret, key), value);
  }
  return root;
}

const without = (env: Record<string, string>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(env).filter(([key]) => !keys.includes(key)));

const problemsOf = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    expect(error).toMatchObject({ code: sdkErrors.CONFIG_INVALID.code });
    return (error as Error).message;
  }
  throw new Error('loadRealtimeConfig did not fail');
};

describe('loadRealtimeConfig', () => {
  it('should read the five secrets from env (envFrom) into typed connections', () => {
    const config = loadRealtimeConfig({
      env: platformEnv({ kafka: 'broker-0:9092,broker-1:9092' }),
    });
    expect(config.platform.kafka.bootstrapServers).toEqual(['broker-0:9092', 'broker-1:9092']);
    expect(config.platform.mqtt?.username).toBe('generated-mqtt_username');
    expect(config.platform.lenses).toBeUndefined();
    expect(config.serviceName).toBe('vitals-gateway');
    expect(config.consumerGroup).toBe('vitals-gateway');
    expect(config.sources.KAFKA_BOOTSTRAP_SERVERS).toBe('env');
    expect(config.wsAuth).toMatchObject({ mode: 'jwt' });
    expect(config.secretsDir).toBeUndefined();
  });

  it('a missing key should fail naming the secret and the key, and no credential is defaulted', () => {
    const message = problemsOf(() =>
      loadRealtimeConfig({
        env: without(platformEnv(), 'KAFKA_BOOTSTRAP_SERVERS', 'MQTT_PASSWORD'),
      }),
    );
    expect(message).toContain('health-data-kafka-secret');
    expect(message).toContain('KAFKA_BOOTSTRAP_SERVERS');
    expect(message).toContain('health-data-mqtt-secret');
    expect(message).toContain('MQTT_PASSWORD');
  });

  it('the single errors should be reachable through cause by code', () => {
    try {
      loadRealtimeConfig({ env: without(platformEnv(), 'DB_USER') });
    } catch (error) {
      expect(findErrorByCode(error, contractErrors.ENV_KEY_MISSING.code)?.details).toMatchObject({
        secret: 'health-data-db-secret',
        key: 'DB_USER',
      });
      return;
    }
    throw new Error('did not fail');
  });

  it('a malformed value should be named without echoing a credential', () => {
    const message = problemsOf(() =>
      loadRealtimeConfig({
        env: { ...platformEnv(), KAFKA_BOOTSTRAP_SERVERS: 'no port here', MQTT_PASSWORD: '' },
      }),
    );
    expect(message).toMatch(/KAFKA_BOOTSTRAP_SERVERS.*no port here/);
    expect(message).toContain('MQTT_PASSWORD');
  });

  it('should require RTP_SERVICE_NAME and a WebSocket key unless auth is disabled explicitly', () => {
    const message = problemsOf(() =>
      loadRealtimeConfig({ env: without(platformEnv(), 'RTP_SERVICE_NAME', 'RTP_WS_JWT_SECRET') }),
    );
    expect(message).toContain('RTP_SERVICE_NAME is not set');
    expect(message).toContain('RTP_WS_JWT_SECRET is not set');
    const disabled = loadRealtimeConfig({
      env: { ...without(platformEnv(), 'RTP_WS_JWT_SECRET'), RTP_WS_AUTH: 'disabled' },
    });
    expect(disabled.wsAuth).toEqual({ mode: 'disabled', unsafe: false });
  });

  it('should not read RTP_WS_* for a service without WebSocket clients', () => {
    const config = loadRealtimeConfig({
      env: { ...without(platformEnv(), 'RTP_WS_JWT_SECRET'), RTP_WS_AUTH: 'bogus' },
      websocket: false,
    });
    expect(config.wsAuth).toEqual({ mode: 'disabled', unsafe: false });
  });

  it('should refuse auth disabled on a non-loopback RTP_HTTP_HOST unless written disabled-unsafe', () => {
    const remote = { ...without(platformEnv(), 'RTP_WS_JWT_SECRET'), RTP_HTTP_HOST: '0.0.0.0' };
    const refused = (() => {
      try {
        loadRealtimeConfig({ env: { ...remote, RTP_WS_AUTH: 'disabled' } });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(findErrorByCode(refused, sdkErrors.CONFIG_WS_AUTH_UNSAFE.code)?.message).toContain(
      'RTP_WS_AUTH=disabled while RTP_HTTP_HOST is 0.0.0.0',
    );
    const unsafe = loadRealtimeConfig({ env: { ...remote, RTP_WS_AUTH: 'disabled-unsafe' } });
    expect(unsafe.wsAuth).toEqual({ mode: 'disabled', unsafe: true });
  });

  it('should require RTP_WS_JWT_ISSUER and RTP_WS_JWT_AUDIENCE off loopback, and https JWKS', () => {
    const remote = { ...platformEnv(), RTP_HTTP_HOST: '0.0.0.0' };
    const message = problemsOf(() => loadRealtimeConfig({ env: remote }));
    expect(message).toContain('set RTP_WS_JWT_ISSUER and RTP_WS_JWT_AUDIENCE');
    const pinned = loadRealtimeConfig({
      env: { ...remote, RTP_WS_JWT_ISSUER: 'https://id.test', RTP_WS_JWT_AUDIENCE: 'vitals' },
    });
    expect(pinned.wsAuth).toMatchObject({
      mode: 'jwt',
      issuer: 'https://id.test',
      audience: 'vitals',
      maxLifetimeSec: 43_200,
    });
    // On loopback (a developer's machine, tests) neither is required.
    expect(loadRealtimeConfig({ env: platformEnv() }).wsAuth).toMatchObject({ mode: 'jwt' });
    const jwks = (url: string) =>
      problemsOf(() =>
        loadRealtimeConfig({
          env: { ...without(platformEnv(), 'RTP_WS_JWT_SECRET'), RTP_WS_JWKS_URL: url },
        }),
      );
    expect(jwks('http://id.hospital.test/jwks')).toContain(
      'RTP_WS_JWKS_URL must be a URL that is https',
    );
    expect(
      loadRealtimeConfig({
        env: {
          ...without(platformEnv(), 'RTP_WS_JWT_SECRET'),
          RTP_WS_JWKS_URL: 'http://127.0.0.1:8080/jwks',
        },
      }).wsAuth,
    ).toMatchObject({ jwksUrl: 'http://127.0.0.1:8080/jwks' });
  });

  it('should read the token lifetime and the hub limits', () => {
    const config = loadRealtimeConfig({
      env: {
        ...platformEnv(),
        RTP_WS_JWT_MAX_LIFETIME_SECONDS: '900',
        RTP_WS_MAX_CONNECTIONS: '50',
        RTP_WS_MAX_SUBSCRIPTIONS: '8',
      },
    });
    expect(config.wsAuth).toMatchObject({ maxLifetimeSec: 900 });
    expect(config.wsLimits).toEqual({ maxConnections: 50, maxSubscriptionsPerClient: 8 });
    expect(loadRealtimeConfig({ env: platformEnv() }).wsLimits).toEqual({
      maxConnections: 10_000,
      maxSubscriptionsPerClient: 256,
    });
    expect(
      problemsOf(() =>
        loadRealtimeConfig({ env: { ...platformEnv(), RTP_WS_JWT_MAX_LIFETIME_SECONDS: '0' } }),
      ),
    ).toContain('RTP_WS_JWT_MAX_LIFETIME_SECONDS must be an integer from 60');
  });

  it('should refuse a short JWT secret without printing it', () => {
    const message = problemsOf(() =>
      loadRealtimeConfig({ env: { ...platformEnv(), RTP_WS_JWT_SECRET: 'hunter2' } }),
    );
    expect(message).toContain('RTP_WS_JWT_SECRET must be at least 32 bytes');
    expect(message).not.toContain('hunter2');
  });

  it('should read a mounted secrets directory, and its values should win over env', () => {
    const root = secretsDir({
      'health-data-kafka-secret': {
        KAFKA_BOOTSTRAP_SERVERS: 'from-dir:9092\n',
        NOT_A_KEY: 'ignored',
      },
    });
    const config = loadRealtimeConfig({
      env: { ...platformEnv({ kafka: 'from-env:9092' }), RTP_SECRETS_DIR: root },
    });
    expect(config.platform.kafka.bootstrapServers).toEqual(['from-dir:9092']);
    expect(config.sources.KAFKA_BOOTSTRAP_SERVERS).toBe('secrets-dir');
    expect(config.sources.DB_HOST).toBe('env');
    expect(config.overridden).toEqual(['KAFKA_BOOTSTRAP_SERVERS']);
    expect(config.secretsDir).toBe(root);
  });

  it('should load from the directory alone', () => {
    const env = platformEnv();
    const secrets: Record<string, Record<string, string>> = {};
    for (const [key, value] of Object.entries(env)) {
      const secret = key.startsWith('MQTT_')
        ? 'mqtt'
        : key.startsWith('KAFKA_')
          ? 'kafka'
          : key.startsWith('DB_')
            ? 'db'
            : key.startsWith('DASHBOARD_')
              ? 'metabase'
              : key.startsWith('LENSES_')
                ? 'lenses'
                : undefined;
      if (secret !== undefined) (secrets[`health-data-${secret}-secret`] ??= {})[key] = value;
    }
    const root = secretsDir(secrets);
    const sdkOnly = Object.fromEntries(
      Object.entries(env).filter(([key]) => key.startsWith('RTP_')),
    );
    const config = loadRealtimeConfig({ env: { ...sdkOnly, RTP_SECRETS_DIR: root } });
    expect(Object.values(config.sources).every((source) => source === 'secrets-dir')).toBe(true);
    expect(config.platform.db.user).toBe('generated-db_user');
  });

  it('should refuse two candidate directories for one secret when the platform name is unknown', () => {
    const root = secretsDir({ 'a-kafka-secret': {}, 'b-kafka-secret': {} });
    const message = problemsOf(() =>
      loadRealtimeConfig({
        env: { ...without(platformEnv(), 'RTP_PLATFORM_NAME'), RTP_SECRETS_DIR: root },
      }),
    );
    expect(message).toContain('a-kafka-secret, b-kafka-secret');
  });

  it('should take the instance id from RTP_INSTANCE_ID (the trait), else HOSTNAME', () => {
    const env = { ...platformEnv(), HOSTNAME: 'host-a' };
    expect(loadRealtimeConfig({ env }).instanceId).toBe('host-a');
    expect(loadRealtimeConfig({ env: { ...env, RTP_INSTANCE_ID: 'pod-b' } }).instanceId).toBe(
      'pod-b',
    );
  });

  it("should read exactly the contract's sdk variables", () => {
    expect(sdkEnvCatalog.map(({ variable }) => variable)).toEqual(
      runtimeEnvCatalog.filter((entry) => entry.readBy === 'sdk').map((entry) => entry.name),
    );
  });

  it('the README should document every RTP_* variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const { variable } of sdkEnvCatalog) expect(readme).toContain(`\`${variable}\``);
  });
});
