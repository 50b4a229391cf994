import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  claimResourceName,
  parseClaimSpec,
  runtimeEnvSetBy,
  secretEnvFrom,
  vitalTopics,
} from '@realtime-platform/platform-contract';
import { addonsRoot, realtimeEnv, serviceEnv } from '@realtime-platform/addons';
import {
  dryRunApplication,
  objectOf,
  type KubeObject,
  type RenderedAddon,
} from '../../src/index.js';
import { renderAddonOk } from '../support/addon-render.js';
import { containerOf, envFromNames, envMap, findObject } from '../support/kube-object.js';

const example = (name: string): string => join(addonsRoot, 'examples', name);
const platformSecrets = (name: string): string[] =>
  secretEnvFrom(name).map((source) => `secret:${source.secretRef.name}`);

let addon: RenderedAddon;
let addonWithOverride: RenderedAddon;
const serviceImage = { repository: 'registry.example.test/rtp/realtime-service', tag: '0.3.1' };

beforeAll(async () => {
  addon = await renderAddonOk({
    chartRepository: 'https://charts.example.test/realtime-platform',
    serviceImage,
  });
  addonWithOverride = await renderAddonOk({
    chartRepository: 'https://charts.example.test/realtime-platform',
    overrideWebservice: true,
  });
});

describe('vela dry-run --offline: the requirements minimal example', () => {
  it('renders one RealtimePlatformClaim <name>-realtime with every default filled in', async () => {
    const result = await dryRunApplication(example('minimal.app.yaml'));
    expect(result.error).toBe('');
    expect(result.objects).toHaveLength(1);
    const claim = findObject(
      result.objects,
      'RealtimePlatformClaim',
      claimResourceName('health-data'),
    );
    expect(claim.apiVersion).toBe('platform.example.org/v1alpha1');
    expect(claim.metadata.namespace).toBe('apps');
    expect(claim.spec).toEqual({
      name: 'health-data',
      database: 'postgres',
      visualization: 'metabase',
      iot: true,
      streamProcessing: 'builtin',
      kafkaBrokers: 1,
      dataRetention: '7d',
    });
  });

  it('gives a claim spec the contract normalises to the same platform as name alone', async () => {
    const claim = (await dryRunApplication(example('minimal.app.yaml'))).objects[0] as KubeObject;
    expect(parseClaimSpec(claim.spec)).toEqual(parseClaimSpec({ name: 'health-data' }));
  });
});

describe('vela dry-run --offline: every optional property', () => {
  it('forwards every property into the claim spec exactly as the contract reads it', async () => {
    const result = await dryRunApplication(example('every-option.app.yaml'));
    expect(result.error).toBe('');
    const claim = findObject(result.objects, 'RealtimePlatformClaim', 'clinic-realtime');
    expect(claim.metadata.namespace).toBe('clinic');
    expect(claim.spec).toEqual({
      name: 'clinic',
      database: 'postgres',
      visualization: 'grafana',
      iot: true,
      streamProcessing: 'lenses',
      kafkaBrokers: 3,
      mqttUsers: [
        { username: 'device-1', passwordSecretRef: { name: 'clinic-devices', key: 'device-1' } },
        { username: 'device-2', passwordSecretRef: { name: 'clinic-devices', key: 'device-2' } },
      ],
      dataRetention: '30d',
      scaling: { minReplicas: 2, maxReplicas: 4 },
      snowflake: { enabled: true, credentialsSecret: 'clinic-snowflake' },
      topics: [
        { name: 'device_data', partitions: 12 },
        { name: 'ward_events', partitions: 3, retention: '2w' },
      ],
    });
    expect(parseClaimSpec(claim.spec)).toEqual(claim.spec);
  });
});

describe('vela dry-run --offline: the requirements user flow with overrideWebservice', () => {
  let objects: KubeObject[];
  beforeAll(async () => {
    const webservice = objectOf(addonWithOverride, 'ComponentDefinition', 'webservice');
    const result = await dryRunApplication(example('user-flow.app.yaml'), {
      objects: [webservice],
    });
    expect(result.error).toBe('');
    objects = result.objects;
  });

  it('renders the platform claim and the web service side by side', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'RealtimePlatformClaim/health-data-realtime',
      'Deployment/health-app',
      'NetworkPolicy/health-app',
      'Service/health-app',
    ]);
  });

  it('injects the five platform secrets with envFrom, in contract order', () => {
    const container = containerOf(findObject(objects, 'Deployment', 'health-app'));
    expect(envFromNames(container)).toEqual(platformSecrets('health-data'));
    expect(
      container.envFrom.every((s: { secretRef: { optional?: boolean } }) => !s.secretRef.optional),
    ).toBe(true);
  });

  it('sets the topics, the alerts topic and a broadcast consumer group per replica', () => {
    const container = containerOf(findObject(objects, 'Deployment', 'health-app'));
    expect(envMap(container)).toEqual({
      [realtimeEnv.platform]: 'health-data',
      [realtimeEnv.topics]: vitalTopics.join(','),
      [realtimeEnv.alertsTopic]: 'health_alerts',
      [realtimeEnv.consumerGroup]: 'health-platform-health-app',
      [realtimeEnv.consumerMode]: 'broadcast',
      [realtimeEnv.instanceId]: 'fieldRef:metadata.name',
    });
    // Exactly the names the platform contract says the trait sets (the ones the SDK reads).
    expect(Object.keys(envMap(container)).sort()).toEqual([...runtimeEnvSetBy('trait')].sort());
  });

  it("keeps the requirements' name, language and framework as annotations", () => {
    const deployment = findObject(objects, 'Deployment', 'health-app');
    expect(deployment.metadata.annotations).toMatchObject({
      'realtime.platform.example.org/platform': 'health-data',
      'realtime.platform.example.org/name': 'health-processor',
      'realtime.platform.example.org/language': 'python',
      'realtime.platform.example.org/framework': 'fastapi',
    });
    expect(containerOf(deployment).image).toBe('socrates12345/health-service:latest');
  });

  it('stays a plain web service when realtime is not set', async () => {
    const webservice = objectOf(addonWithOverride, 'ComponentDefinition', 'webservice');
    const result = await dryRunApplication(example('plain-webservice.app.yaml'), {
      objects: [webservice],
    });
    expect(result.error).toBe('');
    const container = containerOf(findObject(result.objects, 'Deployment', 'api'));
    expect(container.envFrom).toBeUndefined();
    expect(envMap(container)).toEqual({ KAFKA_CLIENT_ID: 'api' });
  });
});

describe('vela dry-run --offline: the user flow without replacing webservice', () => {
  let objects: KubeObject[];
  beforeAll(async () => {
    const realtimeService = objectOf(addon, 'ComponentDefinition', 'realtime-service');
    const result = await dryRunApplication(example('user-flow-realtime-webservice.app.yaml'), {
      builtin: ['component/webservice.cue'],
      objects: [realtimeService],
    });
    expect(result.error).toBe('');
    objects = result.objects;
  });

  it('wires realtime-webservice exactly like the override', () => {
    const container = containerOf(findObject(objects, 'Deployment', 'health-app'));
    expect(envFromNames(container)).toEqual(platformSecrets('health-data'));
    expect(envMap(container)[realtimeEnv.consumerGroup]).toBe('health-platform-health-app');
  });

  it("wires vela-core's own webservice through the realtime trait, in shared mode", () => {
    const deployment = findObject(objects, 'Deployment', 'health-worker');
    expect(deployment.metadata.labels?.['workload.oam.dev/type']).toBe('webservice');
    const container = containerOf(deployment);
    expect(envFromNames(container)).toEqual(platformSecrets('health-data'));
    expect(envMap(container)).toMatchObject({
      [realtimeEnv.consumerMode]: 'shared',
      [realtimeEnv.consumerGroup]: 'health-platform-health-worker',
    });
  });

  it('deploys the template service from the addon image with its WebSocket endpoint exposed', () => {
    const deployment = findObject(objects, 'Deployment', 'health-feed');
    const container = containerOf(deployment);
    expect(deployment.spec.replicas).toBe(2);
    expect(container.image).toBe(`${serviceImage.repository}:${serviceImage.tag}`);
    expect(envFromNames(container)).toEqual(platformSecrets('health-data'));
    expect(envMap(container)).toMatchObject({
      [serviceEnv.httpPort]: '8080',
      [serviceEnv.wsPath]: '/ws',
      [realtimeEnv.topics]: vitalTopics.join(','),
    });
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    // The hub's key comes from the Secret the example names, never a literal.
    expect(container.env).toContainEqual({
      name: serviceEnv.wsJwtSecret,
      valueFrom: { secretKeyRef: { name: 'health-feed-jwt', key: serviceEnv.wsJwtSecret } },
    });
    // Off loopback the SDK requires both: tokens for another issuer or service are refused.
    expect(envMap(container)).toMatchObject({
      [serviceEnv.wsJwtIssuer]: 'https://id.hospital.example',
      [serviceEnv.wsJwtAudience]: 'health-feed',
    });
    const service = findObject(objects, 'Service', 'health-feed');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http' }]);
  });
});

describe('vela dry-run --offline: the realtime trait on any workload', () => {
  it("puts the workload's own envFrom sources first and the platform secrets last", async () => {
    const result = await dryRunApplication(example('trait-on-existing-deployment.app.yaml'), {
      builtin: ['component/k8s-objects.cue'],
    });
    expect(result.error).toBe('');
    const container = containerOf(findObject(result.objects, 'Deployment', 'legacy-consumer'));
    // The legacy copy of a platform secret is removed; everything else keeps its order, before
    // the platform's secrets (the last envFrom source wins).
    expect(envFromNames(container)).toEqual([
      'secret:legacy-kafka-settings',
      'configMap:legacy-settings',
      ...platformSecrets('health-data'),
    ]);
    expect(envMap(container)).toMatchObject({
      LEGACY_MODE: 'on',
      [realtimeEnv.platform]: 'health-data',
    });
  });

  it('refuses an env var that would shadow a platform secret key', async () => {
    const result = await dryRunApplication(example('invalid/trait-env-shadows-platform.app.yaml'), {
      builtin: ['component/webservice.cue'],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain('env KAFKA_BOOTSTRAP_SERVERS is reserved');
  });

  it('reports a platform the application does not declare, naming the ones it does', async () => {
    const result = await dryRunApplication(example('invalid/trait-unknown-platform.app.yaml'), {
      builtin: ['component/webservice.cue'],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain(
      'realtime: platform "health-dta" is not declared by this application (its realtime-platform components are named health-data)',
    );
  });
});

describe('vela dry-run --offline: iot-broker', () => {
  it('renders an IotBrokerClaim <name>-iot with its auth users and persistence', async () => {
    const result = await dryRunApplication(example('iot-broker.app.yaml'));
    expect(result.error).toBe('');
    const claim = findObject(result.objects, 'IotBrokerClaim', 'ward-devices-iot');
    expect(claim.metadata.namespace).toBe('apps');
    expect(claim.spec).toEqual({
      name: 'ward-devices',
      mqttUsers: [
        { username: 'monitor-7', passwordSecretRef: { name: 'ward-devices', key: 'monitor-7' } },
      ],
      persistence: { enabled: true, size: '2Gi' },
    });
  });
});
