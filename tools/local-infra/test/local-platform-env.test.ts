import { describe, expect, it } from '@jest/globals';
import { checkPlatformEnv, parsePlatformEnv } from '@realtime-platform/platform-contract';
import {
  localPlatformEnv,
  type FerretDbServer,
  type KafkaBroker,
  type MariaDbServer,
  type MosquittoBroker,
  type PostgresServer,
  type SchemaRegistry,
} from '../src/index.js';

// Structural stand-ins: only the addresses and credentials the env is built from.
const kafka = {
  bootstrapServers: '127.0.0.1:39092',
  kafkaSecret: (id = 'app') => ({
    KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:39092',
    KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_USERNAME: id === 'app' ? 'app' : `user-${id}`,
    KAFKA_PASSWORD: `generated-for-${id}`,
  }),
} as unknown as KafkaBroker;
const mqtt = {
  host: '127.0.0.1',
  mqttPort: 31883,
  wsPort: 39001,
  mqttUrl: 'mqtt://127.0.0.1:31883',
  wsUrl: 'ws://127.0.0.1:39001',
  user: { username: 'app-abc123', password: 'generated-in-test' },
  credentials: {
    app: { username: 'app-abc123', password: 'generated-in-test' },
    bridge: { username: 'bridge-abc123', password: 'generated-in-test-2' },
    gateway: { username: 'gateway-abc123', password: 'generated-in-test-3' },
  },
} as unknown as MosquittoBroker;
const postgres = {
  host: '127.0.0.1',
  port: 35432,
  database: 'rtp',
  user: 'rtp',
  password: 'superuser-password-in-test',
  application: { user: 'app_local', password: 'generated-in-test' },
} as unknown as PostgresServer;
const mysql = {
  host: '127.0.0.1',
  port: 33306,
  database: 'rtp',
  application: { user: 'app_local', password: 'generated-in-test-mysql' },
} as unknown as MariaDbServer;
const mongodb = {
  host: '127.0.0.1',
  port: 37017,
  database: 'rtp',
  application: { user: 'app_local', password: 'generated-in-test-mongo' },
} as unknown as FerretDbServer;
const schemaRegistry = { url: 'http://127.0.0.1:38081/apis/ccompat/v7' } as SchemaRegistry;

describe('localPlatformEnv', () => {
  it('gives the five secrets of the contract for the local servers', () => {
    const env = localPlatformEnv({ kafka, mqtt, postgres, schemaRegistry });
    expect(checkPlatformEnv(env)).toMatchObject({ ok: true });
    const connections = parsePlatformEnv(env);
    expect(connections.kafka.bootstrapServers).toEqual(['127.0.0.1:39092']);
    expect(connections.mqtt).toMatchObject({
      url: 'mqtt://127.0.0.1:31883',
      username: 'app-abc123',
    });
    // The applications' role, never the superuser.
    expect(connections.db).toMatchObject({
      port: 35432,
      user: 'app_local',
      password: 'generated-in-test',
    });
  });

  it.each([
    ['postgres', 35432, 'postgresql://app_local:generated-in-test@127.0.0.1:35432/rtp'],
    ['mysql', 33306, 'mysql://app_local:generated-in-test-mysql@127.0.0.1:33306/rtp'],
    [
      'mongodb',
      37017,
      'mongodb://app_local:generated-in-test-mongo@127.0.0.1:37017/rtp?authSource=rtp',
    ],
  ] as const)('points the db secret at the %s server with its URL', (database, port, url) => {
    const env = localPlatformEnv({ kafka, postgres, mysql, mongodb }, { database });
    expect(parsePlatformEnv(env).db).toMatchObject({ type: database, port, url });
  });

  it('carries the applications’ Kafka principal, or the one a platform service runs as', () => {
    expect(parsePlatformEnv(localPlatformEnv({ kafka })).kafka).toMatchObject({
      securityProtocol: 'SASL_PLAINTEXT',
      saslMechanism: 'SCRAM-SHA-512',
      username: 'app',
      password: 'generated-for-app',
    });
    expect(
      parsePlatformEnv(localPlatformEnv({ kafka }, { kafkaPrincipal: 'bridge' })).kafka.username,
    ).toBe('user-bridge');
  });

  it("gives the applications' user by default and a role's user in its place when asked", () => {
    expect(localPlatformEnv({ kafka, mqtt }).MQTT_USERNAME).toBe('app-abc123');
    const bridgeEnv = localPlatformEnv({ kafka, mqtt }, { mqttRole: 'bridge' });
    expect(checkPlatformEnv(bridgeEnv)).toMatchObject({ ok: true });
    expect(parsePlatformEnv(bridgeEnv).mqtt).toMatchObject({
      username: 'bridge-abc123',
      password: 'generated-in-test-2',
    });
  });

  it('disables the mqtt secret when no Mosquitto runs, and still passes the contract', () => {
    const env = localPlatformEnv({ kafka });
    expect(env.MQTT_ENABLED).toBe('false');
    expect(checkPlatformEnv(env)).toMatchObject({ ok: true });
    expect(parsePlatformEnv(env).mqtt).toBeUndefined();
  });

  it('never reuses a password between calls when the servers have none', () => {
    expect(localPlatformEnv({ kafka }).DB_PASSWORD).not.toBe(
      localPlatformEnv({ kafka }).DB_PASSWORD,
    );
  });
});
