import { describe, expect, it } from '@jest/globals';
import {
  contractErrors,
  credentialKeys,
  credentialsFromClaim,
  describePlatform,
  renderSecretData,
  type PlatformCredentials,
  type PlatformModel,
  type RealtimePlatformSpecInput,
  type SecretDefinition,
} from '../../src/index.js';

/** Distinct, obviously test-only values: a credential the renderer made up would not be in here. */
const credentials: PlatformCredentials = Object.fromEntries(
  credentialKeys.map((key) => [key, `test-${key.toLowerCase()}`]),
);

const variants: readonly [string, RealtimePlatformSpecInput][] = [
  ['defaults', { name: 'health-data' }],
  ['iot off', { name: 'health-data', iot: false }],
  ['grafana', { name: 'health-data', visualization: 'grafana' }],
  ['lenses', { name: 'health-data', streamProcessing: 'lenses' }],
  [
    'all switches flipped',
    { name: 'p', iot: false, visualization: 'grafana', streamProcessing: 'lenses' },
  ],
];

/** Host and port a value points at, read from the value itself. */
function target(value: string): { host: string; port: number } {
  const url = new URL(value.includes('://') ? value : `tcp://${value}`);
  return { host: url.hostname, port: Number(url.port) };
}

describe('renderSecretData', () => {
  describe.each(variants)('for %s', (_label, claim) => {
    const platform = describePlatform({ namespace: 'apps', claim });
    const secrets = renderSecretData(platform, credentials);

    it('renders all five secrets', () => {
      expect(secrets.map((s) => s.name)).toEqual(
        ['mqtt', 'kafka', 'db', 'metabase', 'lenses'].map((p) => `${platform.name}-${p}-secret`),
      );
    });

    it('points every host at a Service the model deploys, on the port the contract names', () => {
      const problems: string[] = [];
      for (const secret of secrets) {
        const definition = platform.secrets.find((s) => s.id === secret.id)
          ?.definition as SecretDefinition;
        for (const [key, value] of Object.entries(secret.stringData)) {
          const keyDefinition = definition.keys.find((k) => k.key === key);
          if (keyDefinition?.kind !== 'endpoint') continue;
          const candidates = platform.services.filter((s) => keyDefinition.services.includes(s.id));
          const contractPort = (serviceHost: string) =>
            candidates
              .find((s) => s.host === serviceHost)
              ?.ports.find((p) => p.name === keyDefinition.port)?.port;
          if (keyDefinition.format === 'port') {
            const ports = candidates.flatMap((s) =>
              s.ports.filter((p) => p.name === keyDefinition.port),
            );
            if (ports.length !== 1 || String(ports[0]?.port) !== value)
              problems.push(`${key}=${value}`);
            continue;
          }
          const targets =
            keyDefinition.format === 'host'
              ? [{ host: value, port: undefined }]
              : value.split(',').map(target);
          for (const { host, port } of targets) {
            if (!platform.services.some((s) => s.host === host))
              problems.push(`${key}: no Service ${host}`);
            else if (contractPort(host) === undefined)
              problems.push(`${key}: wrong Service ${host}`);
            else if (port !== undefined && port !== contractPort(host))
              problems.push(`${key}: port ${port}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('writes the host of a host key into every URL of the same secret', () => {
      for (const secret of secrets) {
        const host = Object.entries(secret.stringData).find(([k]) => k.endsWith('_HOST'))?.[1];
        if (host === undefined) continue;
        for (const [key, value] of Object.entries(secret.stringData)) {
          if (key.endsWith('_URL')) expect(target(value).host).toBe(host);
        }
      }
    });

    it('copies credentials exactly as given, and only into enabled secrets', () => {
      for (const secret of secrets) {
        for (const [key, value] of Object.entries(secret.stringData)) {
          if ((credentialKeys as readonly string[]).includes(key)) {
            expect(secret.enabled).toBe(true);
            expect(value).toBe(credentials[key as keyof PlatformCredentials]);
          }
        }
      }
    });
  });

  it('leaves only MQTT_ENABLED=false in the mqtt secret when iot is false', () => {
    const platform = describePlatform({ namespace: 'apps', claim: { name: 'p', iot: false } });
    const mqtt = renderSecretData(platform, credentials).find((s) => s.id === 'mqtt');
    expect(mqtt).toEqual({
      id: 'mqtt',
      name: 'p-mqtt-secret',
      enabled: false,
      stringData: { MQTT_ENABLED: 'false' },
    });
  });

  it('leaves only LENSES_ENABLED=false in the lenses secret with builtin stream processing', () => {
    const platform = describePlatform({ namespace: 'apps', claim: { name: 'p' } });
    const lenses = renderSecretData(platform, credentials).find((s) => s.id === 'lenses');
    expect(lenses?.stringData).toEqual({ LENSES_ENABLED: 'false' });
  });

  it.each([
    [
      'mysql',
      'health-data-mysql.apps.svc.cluster.local',
      '3306',
      'mysql://test-db_user:test-db_password@health-data-mysql.apps.svc.cluster.local:3306/realtime',
    ],
    [
      'mongodb',
      'health-data-mongodb.apps.svc.cluster.local',
      '27017',
      'mongodb://test-db_user:test-db_password@health-data-mongodb.apps.svc.cluster.local:27017/realtime?authSource=realtime',
    ],
  ])(
    'points the db secret at the %s Service, its default port and a URL of its scheme',
    (database, host, port, url) => {
      const platform = describePlatform({
        namespace: 'apps',
        claim: { name: 'health-data', database },
      });
      const db = renderSecretData(platform, credentials).find((s) => s.id === 'db');
      expect(db?.stringData).toEqual({
        DB_TYPE: database,
        DB_HOST: host,
        DB_PORT: port,
        DB_NAME: 'realtime',
        DB_USER: 'test-db_user',
        DB_PASSWORD: 'test-db_password',
        DB_URL: url,
      });
      // PostgreSQL stays (Lenses, Metabase); the engine's Service is deployed beside it.
      expect(platform.services.map((s) => s.id)).toEqual(
        expect.arrayContaining(['postgresql', database]),
      );
    },
  );

  it('percent-encodes a user and password that need it in DB_URL', () => {
    const platform = describePlatform({
      namespace: 'apps',
      claim: { name: 'p', database: 'mysql' },
    });
    const db = renderSecretData(platform, {
      ...credentials,
      DB_USER: 'app user',
      DB_PASSWORD: 'p@ss:w/rd',
    }).find((s) => s.id === 'db');
    const url = new URL(db?.stringData.DB_URL ?? '');
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password)]).toEqual([
      'app user',
      'p@ss:w/rd',
    ]);
  });

  it('renders the exact data of the db and kafka secrets', () => {
    const platform = describePlatform({ namespace: 'apps', claim: { name: 'health-data' } });
    const byId = Object.fromEntries(
      renderSecretData(platform, credentials).map((s) => [s.id, s.stringData]),
    );
    expect(byId.db).toEqual({
      DB_TYPE: 'postgres',
      DB_HOST: 'health-data-postgresql.apps.svc.cluster.local',
      DB_PORT: '5432',
      DB_NAME: 'realtime',
      DB_USER: 'test-db_user',
      DB_PASSWORD: 'test-db_password',
      DB_URL:
        'postgresql://test-db_user:test-db_password@health-data-postgresql.apps.svc.cluster.local:5432/realtime',
    });
    expect(byId.kafka).toEqual({
      KAFKA_BOOTSTRAP_SERVERS: 'health-data-kafka.apps.svc.cluster.local:9092',
      KAFKA_SCHEMA_REGISTRY_URL: 'http://health-data-schema-registry.apps.svc.cluster.local:8081',
      KAFKA_CONNECT_URL: 'http://health-data-kafka-connect.apps.svc.cluster.local:8083',
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_USERNAME: 'test-kafka_username',
      KAFKA_PASSWORD: 'test-kafka_password',
    });
  });

  it('needs the Kafka password of the applications’ principal', () => {
    const platform = describePlatform({ namespace: 'apps', claim: { name: 'p' } });
    const { KAFKA_PASSWORD: _pw, ...withoutPassword } = credentials;
    expect(() => renderSecretData(platform, withoutPassword)).toThrow(
      expect.objectContaining({
        code: contractErrors.CREDENTIAL_MISSING.code,
        details: { secret: 'p-kafka-secret', key: 'KAFKA_PASSWORD' },
      }),
    );
  });

  it('points the dashboard at Grafana and says so when visualization is grafana', () => {
    const platform = describePlatform({
      namespace: 'apps',
      claim: { name: 'p', visualization: 'grafana' },
    });
    const dashboard = renderSecretData(platform, credentials).find((s) => s.id === 'metabase');
    expect(dashboard?.stringData.DASHBOARD_TYPE).toBe('grafana');
    expect(dashboard?.stringData.DASHBOARD_URL).toBe(
      'http://p-grafana.apps.svc.cluster.local:3000',
    );
  });

  it('uses the given cluster domain in every host', () => {
    const platform = describePlatform({
      namespace: 'ns',
      clusterDomain: 'corp.example',
      claim: { name: 'p' },
    });
    const kafka = renderSecretData(platform, credentials).find((s) => s.id === 'kafka');
    expect(kafka?.stringData.KAFKA_BOOTSTRAP_SERVERS).toBe('p-kafka.ns.svc.corp.example:9092');
  });

  describe('credentials', () => {
    const platform: PlatformModel = describePlatform({ namespace: 'apps', claim: { name: 'p' } });

    it('fails naming the secret and the key when an enabled secret lacks one', () => {
      const { DB_PASSWORD: _omitted, ...rest } = credentials;
      expect(() => renderSecretData(platform, rest)).toThrow(
        expect.objectContaining({
          code: contractErrors.CREDENTIAL_MISSING.code,
          details: { secret: 'p-db-secret', key: 'DB_PASSWORD' },
        }),
      );
    });

    it('treats an empty credential as missing', () => {
      expect(() => renderSecretData(platform, { ...credentials, MQTT_PASSWORD: '' })).toThrow(
        expect.objectContaining({ code: contractErrors.CREDENTIAL_MISSING.code }),
      );
    });

    it('does not need the credentials of disabled secrets', () => {
      const iotOff = describePlatform({ namespace: 'apps', claim: { name: 'p', iot: false } });
      const { MQTT_USERNAME: _u, MQTT_PASSWORD: _p, ...rest } = credentials;
      expect(() => renderSecretData(iotOff, rest)).not.toThrow();
    });

    it('rejects a key that is no credential, such as a typo', () => {
      expect(() =>
        renderSecretData(platform, { ...credentials, DB_PASWORD: 'x' } as PlatformCredentials),
      ).toThrow(expect.objectContaining({ code: contractErrors.CREDENTIAL_UNKNOWN.code }));
    });

    it("never puts a device (mqttUsers) credential into the applications' secret", () => {
      const spec = describePlatform({
        namespace: 'apps',
        claim: {
          name: 'p',
          mqttUsers: [
            { username: 'dev1', passwordSecretRef: { name: 'devices', key: 'dev1' } },
            { username: 'dev2', passwordSecretRef: { name: 'devices', key: 'dev2' } },
          ],
        },
      }).spec;
      expect(credentialsFromClaim(spec)).toEqual({});
      expect(credentialsFromClaim(platform.spec)).toEqual({});
    });
  });
});
