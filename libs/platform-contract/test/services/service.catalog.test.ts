import { describe, expect, it } from '@jest/globals';
import {
  databaseEngineCatalog,
  secretDefinition,
  serviceCatalog,
  serviceDefinition,
  servicePort,
} from '../../src/index.js';

describe('serviceCatalog', () => {
  // The requirements' "Port Mappings and Network Configuration", written out independently.
  it.each([
    ['kafka', 'kafka', 9092],
    ['kafka', 'kafka-external', 19092],
    ['schemaRegistry', 'http', 8081],
    ['kafkaConnect', 'http', 8083],
    ['mqtt', 'mqtt', 1883],
    ['mqtt', 'websocket', 9001],
    ['postgresql', 'postgresql', 5432],
    ['mysql', 'mysql', 3306],
    ['mongodb', 'mongodb', 27017],
    ['metabase', 'http', 3000],
    ['lensesHq', 'http', 9991],
    ['lensesHq', 'agents', 10000],
  ] as const)('gives %s port %s the requirements number %d', (id, port, number) => {
    expect(servicePort(id, port).port).toBe(number);
  });

  it('names the Services {name}-<suffix> with distinct suffixes', () => {
    expect(serviceCatalog.map((s) => s.suffix)).toEqual([
      'kafka',
      'schema-registry',
      'kafka-connect',
      'mqtt',
      'postgresql',
      'mysql',
      'mongodb',
      'metabase',
      'grafana',
      'lenses-hq',
    ]);
  });

  it('uses valid Service port names (IANA service names, at most 15 characters)', () => {
    const invalid = serviceCatalog.flatMap((service) =>
      service.ports
        .map((port) => port.name)
        .filter(
          (name) => !/^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 15,
        ),
    );
    expect(invalid).toEqual([]);
  });

  it('never gives one Service two ports with the same name or number', () => {
    for (const service of serviceCatalog) {
      expect(new Set(service.ports.map((p) => p.name)).size).toBe(service.ports.length);
      expect(new Set(service.ports.map((p) => p.port)).size).toBe(service.ports.length);
    }
  });

  it.each([
    ['postgres', 'postgresql', 5432, 'postgresql'],
    ['mysql', 'mysql', 3306, 'mysql'],
    ['mongodb', 'mongodb', 27017, 'mongodb'],
  ] as const)(
    'gives database %s the Service %s on its default port %d and DB_URL scheme %s',
    (type, service, port, scheme) => {
      const engine = databaseEngineCatalog[type];
      expect(engine.service).toBe(service);
      expect(serviceDefinition(service).ports.map((p) => p.port)).toEqual([port]);
      expect(engine.urlScheme).toBe(scheme);
      const dbUrl = secretDefinition('db').keys.find((k) => k.key === 'DB_URL');
      expect(dbUrl?.kind === 'connection' && dbUrl.schemes[type]).toBe(scheme);
    },
  );

  it('ties optional Services to the claim options that enable them', () => {
    const conditions = Object.fromEntries(serviceCatalog.map((s) => [s.id, s.enabledWhen]));
    expect(conditions).toEqual({
      kafka: undefined,
      schemaRegistry: undefined,
      kafkaConnect: undefined,
      mqtt: { field: 'iot', equals: true },
      postgresql: undefined,
      mysql: { field: 'database', equals: 'mysql' },
      mongodb: { field: 'database', equals: 'mongodb' },
      metabase: { field: 'visualization', equals: 'metabase' },
      grafana: { field: 'visualization', equals: 'grafana' },
      lensesHq: { field: 'streamProcessing', equals: 'lenses' },
    });
  });
});
