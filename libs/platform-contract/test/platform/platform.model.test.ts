import { describe, expect, it } from '@jest/globals';
import {
  contractErrors,
  describePlatform,
  findService,
  platformStatusFields,
  secretEnvFrom,
} from '../../src/index.js';

const serviceNames = (claim: object) =>
  describePlatform({ namespace: 'apps', claim: { name: 'p', ...claim } }).services.map(
    (s) => s.name,
  );

describe('describePlatform', () => {
  it('deploys Kafka, Schema Registry, Connect, MQTT, PostgreSQL and Metabase by default', () => {
    expect(serviceNames({})).toEqual([
      'p-kafka',
      'p-schema-registry',
      'p-kafka-connect',
      'p-mqtt',
      'p-postgresql',
      'p-metabase',
    ]);
  });

  it('drops the MQTT Service when iot is false', () => {
    expect(serviceNames({ iot: false })).not.toContain('p-mqtt');
    expect(serviceNames({ iot: false })).toHaveLength(5);
  });

  it('deploys Grafana instead of Metabase when visualization is grafana', () => {
    const names = serviceNames({ visualization: 'grafana' });
    expect(names).toContain('p-grafana');
    expect(names).not.toContain('p-metabase');
  });

  it('adds Lenses HQ only with streamProcessing lenses', () => {
    expect(serviceNames({})).not.toContain('p-lenses-hq');
    expect(serviceNames({ streamProcessing: 'lenses' })).toContain('p-lenses-hq');
  });

  it('gives every Service its in-cluster DNS host', () => {
    const platform = describePlatform({ namespace: 'team-a', claim: { name: 'health-data' } });
    expect(findService(platform, 'postgresql')?.host).toBe(
      'health-data-postgresql.team-a.svc.cluster.local',
    );
    expect(findService(platform, 'lensesHq')).toBeUndefined();
  });

  it('keeps all five secrets, marking the turned-off ones', () => {
    const platform = describePlatform({ namespace: 'apps', claim: { name: 'p', iot: false } });
    expect(platform.secrets.map((s) => [s.name, s.enabled])).toEqual([
      ['p-mqtt-secret', false],
      ['p-kafka-secret', true],
      ['p-db-secret', true],
      ['p-metabase-secret', true],
      ['p-lenses-secret', false],
    ]);
  });

  it('lists the PostgreSQL databases the enabled parts need', () => {
    const databases = (claim: object) =>
      describePlatform({ namespace: 'apps', claim: { name: 'p', ...claim } }).databases;
    expect(databases({})).toEqual(['realtime', 'metabaseappdb']);
    expect(databases({ visualization: 'grafana' })).toEqual(['realtime']);
    expect(databases({ streamProcessing: 'lenses' })).toEqual([
      'realtime',
      'metabaseappdb',
      'hq',
      'agent1',
      'agent2',
    ]);
  });

  it('rejects an invalid claim, namespace or cluster domain with coded errors', () => {
    expect(() => describePlatform({ namespace: 'apps', claim: { name: 'P' } })).toThrow(
      expect.objectContaining({ code: contractErrors.CLAIM_INVALID.code }),
    );
    expect(() => describePlatform({ namespace: 'Apps', claim: { name: 'p' } })).toThrow(
      expect.objectContaining({ code: contractErrors.NAMESPACE_INVALID.code }),
    );
    expect(() =>
      describePlatform({ namespace: 'apps', clusterDomain: '.local', claim: { name: 'p' } }),
    ).toThrow(expect.objectContaining({ code: contractErrors.CLUSTER_DOMAIN_INVALID.code }));
  });
});

describe('secretEnvFrom', () => {
  it('lists the five secrets, none optional, in contract order', () => {
    expect(secretEnvFrom('health-data')).toEqual([
      { secretRef: { name: 'health-data-mqtt-secret' } },
      { secretRef: { name: 'health-data-kafka-secret' } },
      { secretRef: { name: 'health-data-db-secret' } },
      { secretRef: { name: 'health-data-metabase-secret' } },
      { secretRef: { name: 'health-data-lenses-secret' } },
    ]);
  });
});

describe('platformStatusFields', () => {
  it('names the secrets and the in-cluster endpoints of the enabled parts', () => {
    const platform = describePlatform({ namespace: 'apps', claim: { name: 'p', iot: false } });
    expect(platformStatusFields(platform)).toEqual({
      secrets: {
        mqtt: 'p-mqtt-secret',
        kafka: 'p-kafka-secret',
        database: 'p-db-secret',
        metabase: 'p-metabase-secret',
        lenses: 'p-lenses-secret',
      },
      endpoints: { metabaseUI: 'http://p-metabase.apps.svc.cluster.local:3000' },
    });
  });

  it('adds the Lenses and MQTT WebSocket endpoints when those run', () => {
    const platform = describePlatform({
      namespace: 'apps',
      claim: { name: 'p', streamProcessing: 'lenses' },
    });
    expect(platformStatusFields(platform).endpoints).toEqual({
      lensesUI: 'http://p-lenses-hq.apps.svc.cluster.local:9991',
      metabaseUI: 'http://p-metabase.apps.svc.cluster.local:3000',
      mqttWebSocket: 'ws://p-mqtt.apps.svc.cluster.local:9001/mqtt',
    });
  });
});
