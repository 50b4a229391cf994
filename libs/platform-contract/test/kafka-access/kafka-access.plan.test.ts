import { describe, expect, it } from '@jest/globals';
import {
  contractErrors,
  describePlatform,
  kafkaAclLine,
  kafkaPrincipalCatalog,
  kafkaPrincipalSecretName,
  kafkaSuperUsers,
  maxPlatformNameLength,
  nameBudget,
  parseClaimSpec,
  planKafkaAccess,
  renderKafkaPrincipalSecret,
  renderSecretData,
  secretDefinition,
  vitalTopics,
  type KafkaAcl,
  type KafkaPrincipalId,
  type RealtimePlatformSpecInput,
} from '../../src/index.js';

const plan = (claim: Partial<RealtimePlatformSpecInput> = {}) =>
  planKafkaAccess(parseClaimSpec({ name: 'p', ...claim }));

const aclsOf = (id: KafkaPrincipalId, claim: Partial<RealtimePlatformSpecInput> = {}) =>
  plan(claim).find((principal) => principal.id === id)?.acls ?? [];

/** The topic names a principal's ALLOW ACLs give it `operation` on (literal names only). */
const topicsWith = (acls: readonly KafkaAcl[], operation: string): string[] =>
  acls
    .filter(
      (acl) =>
        acl.resourceType === 'TOPIC' &&
        acl.permission === 'ALLOW' &&
        acl.patternType === 'LITERAL' &&
        acl.operation === operation,
    )
    .map((acl) => acl.resourceName)
    .sort();

describe('planKafkaAccess', () => {
  it('gives one principal per role, each with its own Secret', () => {
    expect(plan().map((principal) => [principal.id, principal.username])).toEqual([
      ['admin', 'rtp-admin'],
      ['bridge', 'mqtt-bridge'],
      ['stream', 'stream-processor'],
      ['app', 'app'],
      ['connect', 'kafka-connect'],
      ['registry', 'schema-registry'],
    ]);
    const secrets = kafkaPrincipalCatalog.map((p) => kafkaPrincipalSecretName('p', p.id));
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(kafkaPrincipalSecretName('p', 'app')).toBe('p-kafka-secret');
  });

  it('makes only the provisioning principal a super user, and gives it no ACLs', () => {
    expect(kafkaSuperUsers(parseClaimSpec({ name: 'p' }))).toBe('User:rtp-admin');
    expect(
      plan()
        .filter((principal) => principal.superUser)
        .map((p) => p.id),
    ).toEqual(['admin']);
    expect(aclsOf('admin')).toEqual([]);
  });

  it('lets the bridge write device_data and its DLQ, and read nothing', () => {
    const acls = aclsOf('bridge');
    expect(topicsWith(acls, 'WRITE')).toEqual(['device_data', 'device_data.dlq']);
    expect(acls.filter((acl) => acl.operation !== 'WRITE')).toEqual([]);
  });

  it('lets the stream processor read device_data in its group and write only the vital topics and its DLQ', () => {
    const acls = aclsOf('stream');
    expect(topicsWith(acls, 'READ')).toEqual(['device_data']);
    expect(topicsWith(acls, 'WRITE')).toEqual([...vitalTopics, 'device_data.dlq'].sort());
    expect(acls.filter((acl) => acl.resourceType === 'GROUP')).toEqual([
      expect.objectContaining({
        patternType: 'PREFIXED',
        resourceName: 'stream-processor',
        operation: 'READ',
      }),
    ]);
  });

  it('keeps applications away from raw readings and from the platform components’ groups', () => {
    const acls = aclsOf('app');
    expect(topicsWith(acls, 'READ')).toEqual([...vitalTopics, 'health_alerts'].sort());
    expect(topicsWith(acls, 'WRITE')).toEqual(
      ['health_alerts', ...[...vitalTopics, 'health_alerts'].map((t) => `${t}.dlq`)].sort(),
    );
    expect(acls.some((acl) => acl.resourceName === 'device_data')).toBe(false);
    const denied = acls.filter((acl) => acl.permission === 'DENY').map((acl) => acl.resourceName);
    expect(denied).toEqual(['stream-processor', 'connect-', 'schema-registry']);
  });

  it('grants applications the claim’s declared topics, read, write and dead letters', () => {
    const acls = aclsOf('app', { topics: [{ name: 'ward_events', partitions: 3 }] });
    expect(topicsWith(acls, 'READ')).toContain('ward_events');
    expect(topicsWith(acls, 'WRITE')).toEqual(
      expect.arrayContaining(['ward_events', 'ward_events.dlq']),
    );
  });

  it('never grants DELETE, ALTER or ALL, nor a wildcard topic, to anyone but by DENY', () => {
    const broad = plan().flatMap((principal) =>
      principal.acls.filter(
        (acl) =>
          acl.permission === 'ALLOW' &&
          (['DELETE', 'ALL'].includes(acl.operation) ||
            (acl.resourceType === 'TOPIC' && acl.resourceName === '*')),
      ),
    );
    expect(broad).toEqual([]);
  });

  it('runs the bridge only with iot and the stream processor only with builtin processing', () => {
    expect(plan({ iot: false }).map((p) => p.id)).not.toContain('bridge');
    expect(plan({ streamProcessing: 'lenses' }).map((p) => p.id)).not.toContain('stream');
  });

  it('writes one ACL per line in the chart’s file format', () => {
    const [first] = aclsOf('bridge');
    expect(kafkaAclLine(first as KafkaAcl)).toBe(
      'User:mqtt-bridge ALLOW WRITE TOPIC LITERAL device_data',
    );
  });

  it('keeps the per-principal Secret names within the platform name budget', () => {
    const entries = nameBudget.filter((entry) => /kafka-\w+-secret/.test(entry.derived));
    expect(entries.map((entry) => entry.derived)).toHaveLength(kafkaPrincipalCatalog.length - 1);
    expect(Math.min(...entries.map((entry) => entry.budget))).toBeGreaterThanOrEqual(
      maxPlatformNameLength,
    );
  });
});

describe('renderKafkaPrincipalSecret', () => {
  const platform = describePlatform({ namespace: 'apps', claim: { name: 'p' } });

  it('has the keys of the kafka secret, with the principal’s own user name', () => {
    const bridge = renderKafkaPrincipalSecret(platform, 'bridge', { KAFKA_PASSWORD: 'pw' });
    expect(bridge.name).toBe('p-kafka-bridge-secret');
    expect(bridge.stringData).toMatchObject({
      KAFKA_USERNAME: 'mqtt-bridge',
      KAFKA_PASSWORD: 'pw',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    });
    const keys = secretDefinition('kafka').keys.map((key) => key.key);
    expect(Object.keys(bridge.stringData).sort()).toEqual([...keys].sort());
  });

  it('renders exactly {name}-kafka-secret for the app principal', () => {
    const app = renderKafkaPrincipalSecret(platform, 'app', { KAFKA_PASSWORD: 'pw' });
    const fromCatalog = renderSecretData(platform, {
      MQTT_USERNAME: 'u',
      MQTT_PASSWORD: 'u',
      KAFKA_USERNAME: 'app',
      KAFKA_PASSWORD: 'pw',
      DB_USER: 'u',
      DB_PASSWORD: 'u',
      DASHBOARD_USER: 'u',
      DASHBOARD_PASSWORD: 'u',
    }).find((secret) => secret.id === 'kafka');
    expect(app).toEqual(fromCatalog);
  });

  it('refuses an empty password', () => {
    expect(() => renderKafkaPrincipalSecret(platform, 'stream', { KAFKA_PASSWORD: '' })).toThrow(
      expect.objectContaining({
        code: contractErrors.CREDENTIAL_MISSING.code,
        details: { secret: 'p-kafka-stream-secret', key: 'KAFKA_PASSWORD' },
      }),
    );
  });
});
