import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { claimApi } from '@realtime-platform/contract-generators';
import {
  credentialKeys,
  describePlatform,
  findService,
  parseClaimSpec,
  platformStatusFields,
  renderSecretData,
} from '@realtime-platform/platform-contract';
import { addonNames, composeFunction } from '@realtime-platform/addons';
import {
  compositeFromClaim,
  LocalFunctions,
  objectOf,
  renderComposite,
  type KubeObject,
  type RenderedAddon,
  type RenderResult,
} from '../../src/index.js';
import { renderAddonOk } from '../support/addon-render.js';
import { claimOf } from '../support/example-claims.js';

// `crossplane render` of the addon's Compositions, exactly as template.cue installs them, with the
// functions running locally: this project's function-compose-platform and function-auto-ready.
// The XR is what Crossplane makes of a claim from the examples; `--xrd` defaults its spec as the
// API server would. Expected values come from the TypeScript platform contract, so the Go
// function is checked against it.

const chartRepository = 'https://charts.example.test/realtime-platform';
const functions = new LocalFunctions();
let addon: RenderedAddon;

const platformXrd = () =>
  objectOf(addon, 'CompositeResourceDefinition', 'xrealtimeplatformclaims.platform.example.org');

async function renderPlatform(xr: KubeObject, observed?: KubeObject[]): Promise<RenderResult> {
  return renderComposite(functions, {
    xr,
    composition: objectOf(addon, 'Composition', 'realtime-platform'),
    functionObjects: addon.objects.filter((o) => o.kind === 'Function'),
    xrd: platformXrd(),
    observed,
  });
}

async function renderPlatformOk(claim: KubeObject, observed?: KubeObject[]) {
  const result = await renderPlatform(compositeFromClaim(claim, claimApi.compositeKind), observed);
  if (result.exitCode !== 0) throw new Error(`crossplane render failed: ${result.stderr}`);
  return result;
}

/** The keys each of the five secrets holds for this claim, by secret name (the TS contract). */
function contractSecretKeys(claim: KubeObject): Record<string, string[]> {
  const platform = describePlatform({
    claim: claim.spec,
    namespace: claim.metadata.namespace as string,
  });
  const credentials = Object.fromEntries(credentialKeys.map((key) => [key, 'x']));
  return Object.fromEntries(
    renderSecretData(platform, credentials).map((secret) => [
      secret.name,
      Object.keys(secret.stringData),
    ]),
  );
}

/** The Release's connection details as { secret name: [keys] }, checking each reads its own key. */
function connectionDetailKeys(release: KubeObject): Record<string, string[]> {
  const bySecret: Record<string, string[]> = {};
  for (const detail of release.spec.connectionDetails as Record<string, string>[]) {
    expect(detail).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      fieldPath: `data.${detail.toConnectionSecretKey}`,
    });
    (bySecret[detail.name as string] ??= []).push(detail.toConnectionSecretKey as string);
  }
  return bySecret;
}

/** A Release as provider-helm reports it after `helm install --wait` finished (or not). */
function observedRelease(
  rendered: RenderResult,
  ready: { status: string; reason: string; message?: string },
): KubeObject {
  const release = rendered.composed['realtime-platform'] as KubeObject;
  return {
    ...release,
    status: {
      conditions: [
        { type: 'Ready', status: ready.status, reason: ready.reason, message: ready.message ?? '' },
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      ],
    },
  };
}

beforeAll(async () => {
  addon = await renderAddonOk({ chartRepository, chartVersion: '0.1.0' });
  await functions.start();
});
afterAll(async () => {
  await functions.stop();
});

describe('crossplane render: the realtime-platform Composition', () => {
  for (const example of ['minimal.app.yaml', 'user-flow.app.yaml', 'every-option.app.yaml']) {
    describe(`the claim of ${example}`, () => {
      let claim: KubeObject;
      let rendered: RenderResult;
      let release: KubeObject;
      beforeAll(async () => {
        claim = await claimOf(example, claimApi.kind);
        rendered = await renderPlatformOk(claim);
        release = rendered.composed['realtime-platform'] as KubeObject;
      });

      it('composes exactly one provider-helm Release of the chart, which waits and rolls back', () => {
        expect(Object.keys(rendered.composed)).toEqual(['realtime-platform']);
        expect(release.apiVersion).toBe('helm.crossplane.io/v1beta1');
        expect(release.kind).toBe('Release');
        expect(release.metadata.annotations?.['crossplane.io/external-name']).toBe(claim.spec.name);
        expect(release.spec).toMatchObject({
          providerConfigRef: { name: addonNames.providerConfig },
          rollbackLimit: 3,
          forProvider: {
            chart: { name: 'realtime-platform', repository: chartRepository, version: '0.1.0' },
            namespace: claim.metadata.namespace,
            // The claim's namespace exists; creating it would need a cluster-scoped grant.
            skipCreateNamespace: true,
            wait: true,
            waitTimeout: '15m',
          },
        });
      });

      it('passes the claim spec, defaulted as the contract defaults it, as values.platform', () => {
        const { platform } = release.spec.forProvider.values;
        expect(platform).toEqual(parseClaimSpec(claim.spec));
        expect(platform.claimRef).toBeUndefined();
      });

      it('loads and wires the Lenses subcharts exactly for streamProcessing: lenses, with the addon licence settings', () => {
        const { values } = release.spec.forProvider;
        const { name, streamProcessing } = parseClaimSpec(claim.spec);
        const ns = claim.metadata.namespace as string;
        expect(values.clusterDomain).toBe('cluster.local');
        expect(values.lenses).toEqual({ enabled: streamProcessing === 'lenses' });
        if (streamProcessing !== 'lenses') {
          expect(Object.keys(values).sort()).toEqual(['clusterDomain', 'lenses', 'platform']);
          return;
        }
        const platform = describePlatform({ claim: claim.spec, namespace: ns });
        const kafka = renderSecretData(
          platform,
          Object.fromEntries(credentialKeys.map((key) => [key, 'x'])),
        ).find((s) => s.id === 'kafka')?.stringData as Record<string, string>;
        // The agent bootstraps from the kafka Service, which selects every broker: with one
        // broker that is the kafka secret's bootstrap, with three the secret lists each broker.
        const kafkaService = findService(platform, 'kafka')!;
        const kafkaPort = kafkaService.ports.find((port) => port.name === 'kafka')!.port;
        const agentBootstrap = kafkaService.podHosts
          ? `${kafkaService.host}:${kafkaPort}`
          : kafka.KAFKA_BOOTSTRAP_SERVERS;
        expect(values['lenses-hq']).toEqual({
          fullnameOverride: `${name}-lenses-hq`,
          license: { acceptEULA: false, existingSecret: 'lenses-license' },
          postgresql: { host: `${name}-postgresql.${ns}.svc.cluster.local` },
          auth: { existingSecret: `${name}-lenses-hq-admin` },
        });
        expect(values['lenses-agent']).toEqual({
          fullnameOverride: `${name}-lenses-agent`,
          acceptEULA: false,
          hq: {
            host: `${name}-lenses-hq.${ns}.svc.cluster.local`,
            auth: { existingSecret: `${name}-lenses-hq-admin` },
          },
          kafka: { bootstrapServers: [agentBootstrap] },
          schemaRegistry: { urls: [kafka.KAFKA_SCHEMA_REGISTRY_URL] },
          connect: { urls: [kafka.KAFKA_CONNECT_URL] },
          postgresql: { host: `${name}-postgresql.${ns}.svc.cluster.local` },
        });
      });

      it('has provider-helm write every key of the five secrets, as the contract gives them for this claim, to the connection Secret', () => {
        expect(release.spec.writeConnectionSecretToRef).toEqual({
          name: `${claim.spec.name}-${composeFunction.connectionSecretSuffix.platform}`,
          namespace: claim.metadata.namespace,
        });
        expect(connectionDetailKeys(release)).toEqual(contractSecretKeys(claim));
        for (const detail of release.spec.connectionDetails as { namespace: string }[]) {
          expect(detail.namespace).toBe(claim.metadata.namespace);
        }
      });

      it('writes the secret names and endpoints of the contract into the status, not ready yet', () => {
        const expected = platformStatusFields(
          describePlatform({ claim: claim.spec, namespace: claim.metadata.namespace as string }),
        );
        expect(rendered.composite?.status).toMatchObject({
          ready: false,
          message: `installing the realtime-platform chart into namespace ${claim.metadata.namespace}`,
          secrets: expected.secrets,
        });
        expect(rendered.composite?.status.endpoints).toEqual(expected.endpoints);
        const conditions = rendered.composite?.status.conditions as {
          type: string;
          status: string;
        }[];
        expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
      });
    });
  }

  it('reports ready, and function-auto-ready the composite Ready, once the Release is ready', async () => {
    const claim = await claimOf('minimal.app.yaml', claimApi.kind);
    const first = await renderPlatformOk(claim);
    const rendered = await renderPlatformOk(claim, [
      observedRelease(first, { status: 'True', reason: 'Available' }),
    ]);
    expect(rendered.composite?.status).toMatchObject({ ready: true, message: 'ready' });
    const conditions = rendered.composite?.status.conditions as { type: string; status: string }[];
    expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(rendered.results).toEqual([]);
  });

  it('reports why the Release is not ready in status.message and as a warning on the claim', async () => {
    const claim = await claimOf('minimal.app.yaml', claimApi.kind);
    const first = await renderPlatformOk(claim);
    const rendered = await renderPlatformOk(claim, [
      observedRelease(first, {
        status: 'False',
        reason: 'Unavailable',
        message: 'timed out waiting for the condition',
      }),
    ]);
    const message = 'realtime-platform release not ready: timed out waiting for the condition';
    expect(rendered.composite?.status).toMatchObject({ ready: false, message });
    const conditions = rendered.composite?.status.conditions as { type: string; status: string }[];
    expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(rendered.results).toEqual([
      { severity: 'SEVERITY_WARNING', step: 'release-connection-and-status', message },
    ]);
  });

  it('passes the addon parameters on: chart version, wait timeout, rollback limit, cluster domain, Lenses licence', async () => {
    const custom = await renderAddonOk({
      chartRepository: 'oci://registry.example.test/charts',
      chartVersion: '0.2.0',
      releaseWaitTimeout: '20m',
      releaseRollbackLimit: 5,
      clusterDomain: 'example.internal',
      lenses: { acceptEULA: true, licenseSecret: 'clinic-lenses' },
    });
    const claim = await claimOf('every-option.app.yaml', claimApi.kind);
    const rendered = await renderComposite(functions, {
      xr: compositeFromClaim(claim, claimApi.compositeKind),
      composition: objectOf(custom, 'Composition', 'realtime-platform'),
      functionObjects: custom.objects.filter((o) => o.kind === 'Function'),
      xrd: platformXrd(),
    });
    const release = rendered.composed['realtime-platform'] as KubeObject;
    expect(release.spec.rollbackLimit).toBe(5);
    expect(release.spec.forProvider).toMatchObject({
      chart: { repository: 'oci://registry.example.test/charts', version: '0.2.0' },
      waitTimeout: '20m',
      values: {
        clusterDomain: 'example.internal',
        'lenses-hq': {
          license: { acceptEULA: true, existingSecret: 'clinic-lenses' },
          postgresql: { host: 'clinic-postgresql.clinic.svc.example.internal' },
        },
        'lenses-agent': { acceptEULA: true },
      },
    });
    expect(rendered.composite?.status.endpoints.metabaseUI).toBe(
      'http://clinic-grafana.clinic.svc.example.internal:3000',
    );
  });
});

describe('crossplane render: invalid claims are refused by the function, naming the field', () => {
  // The XRD refuses them at admission (xrd-validation.test.ts); crossplane render validates nothing
  // itself, so the function checks the XRD's schema again and fails the render.
  const xrOf = (spec: Record<string, unknown>): KubeObject =>
    compositeFromClaim(
      {
        apiVersion: `${claimApi.group}/${claimApi.version}`,
        kind: claimApi.kind,
        metadata: { name: 'bad-realtime', namespace: 'apps' },
        spec,
      },
      claimApi.compositeKind,
    );

  for (const [what, spec, message] of [
    ['no name', { database: 'postgres' }, 'spec.name: Required value'],
    [
      'database: oracle',
      { name: 'health-data', database: 'oracle' },
      'spec.database: Unsupported value: "oracle": supported values: "postgres"',
    ],
    [
      'dataRetention: 7x',
      { name: 'health-data', dataRetention: '7x' },
      `spec.dataRetention: Invalid value: "7x": spec.dataRetention in body should match '^[0-9]+[dwm]$'`,
    ],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const result = await renderPlatform(xrOf(spec));
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(
        'pipeline step "release-connection-and-status" returned a fatal result',
      );
      expect(result.stderr).toContain(message);
    });
  }
});

describe('crossplane render: the iot-broker Composition', () => {
  it('installs the iot-broker chart with the broker settings, its connection details and endpoints', async () => {
    const claim = await claimOf('iot-broker.app.yaml', addonNames.iotBrokerKind);
    const result = await renderComposite(functions, {
      xr: compositeFromClaim(claim, addonNames.iotBrokerCompositeKind),
      composition: objectOf(addon, 'Composition', 'iot-broker'),
      functionObjects: addon.objects.filter((o) => o.kind === 'Function'),
      xrd: objectOf(addon, 'CompositeResourceDefinition', 'xiotbrokerclaims.platform.example.org'),
    });
    expect(result.stderr).toBe('');
    expect(Object.keys(result.composed)).toEqual(['iot-broker']);
    const release = result.composed['iot-broker'] as KubeObject;
    expect(release.spec.forProvider).toEqual({
      chart: { name: 'iot-broker', repository: chartRepository, version: '0.1.0' },
      namespace: 'apps',
      skipCreateNamespace: true,
      wait: true,
      waitTimeout: '15m',
      values: {
        name: 'ward-devices',
        clusterDomain: 'cluster.local',
        // The device's password stays in its Secret: only the reference reaches the Release.
        auth: {
          users: [
            {
              username: 'monitor-7',
              passwordSecretRef: { name: 'ward-devices', key: 'monitor-7' },
            },
          ],
        },
        persistence: { enabled: true, size: '2Gi' },
      },
    });
    const mqttKeys = contractSecretKeys({
      ...claim,
      spec: { name: 'ward-devices', iot: true },
    })['ward-devices-mqtt-secret'];
    expect(connectionDetailKeys(release)).toEqual({ 'ward-devices-mqtt-secret': mqttKeys });
    expect(release.spec.writeConnectionSecretToRef).toEqual({
      name: `ward-devices-${composeFunction.connectionSecretSuffix.iotBroker}`,
      namespace: 'apps',
    });
    expect(result.composite?.status).toMatchObject({
      ready: false,
      message: 'installing the iot-broker chart into namespace apps',
      secrets: { mqtt: 'ward-devices-mqtt-secret' },
      endpoints: {
        mqtt: 'mqtt://ward-devices-mqtt.apps.svc.cluster.local:1883',
        mqttWebSocket: 'ws://ward-devices-mqtt.apps.svc.cluster.local:9001/mqtt',
      },
    });
  });
});
