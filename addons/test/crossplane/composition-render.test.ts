import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  claimApi,
  describePlatform,
  parseClaimSpec,
  platformStatusFields,
} from '@realtime-platform/platform-contract';
import { GoTool, goToolBuildError } from '@realtime-platform/toolchain';
import { addonNames, addonsRoot } from '../../src/index.js';
import { objectOf, renderAddonOk, type RenderedAddon } from '../support/addon-render.js';
import {
  compositeFromClaim,
  LocalFunctions,
  render,
  type RenderResult,
} from '../support/crossplane-render.js';
import type { KubeObject } from '../support/kube-object.js';
import { cleanUpVelaScratch, dryRun } from '../support/vela-cli.js';

// Every function the Composition names must be built: crossplane render runs all of them.
const functionsBuilt = Object.values(LocalFunctions.binaries).every((tool) =>
  GoTool.isAvailable(tool),
);
const describeWithFunctions = functionsBuilt ? describe : describe.skip;

const chartRepository = 'https://charts.example.test/realtime-platform';
const functions = new LocalFunctions();
let addon: RenderedAddon;

const claimOf = async (example: string, kind: string): Promise<KubeObject> => {
  // The requirements' user flow needs the webservice override template.cue installs.
  const overriding = await renderAddonOk({ chartRepository, overrideWebservice: true });
  const result = await dryRun(join(addonsRoot, 'examples', example), {
    objects: [objectOf(overriding, 'ComponentDefinition', 'webservice')],
  });
  const claim = result.objects.find((o) => o.kind === kind);
  if (!claim) throw new Error(`${example} renders no ${kind}: ${result.error}`);
  return claim;
};

const decode = (data: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );

async function renderPlatform(claim: KubeObject, observed?: KubeObject[]): Promise<RenderResult> {
  const result = await render(functions, {
    xr: compositeFromClaim(claim, claimApi.compositeKind),
    composition: objectOf(addon, 'Composition', 'realtime-platform'),
    functionObjects: addon.objects.filter((o) => o.kind === 'Function'),
    xrd: objectOf(
      addon,
      'CompositeResourceDefinition',
      'xrealtimeplatformclaims.platform.example.org',
    ),
    observed,
  });
  if (result.exitCode !== 0) throw new Error(`crossplane render failed: ${result.stderr}`);
  return result;
}

/** A Release as provider-helm reports it after `helm install --wait` finished (or not). */
function observedRelease(
  rendered: RenderResult,
  ready: { status: string; reason: string; message?: string },
) {
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
  if (functionsBuilt) await functions.start();
});
afterAll(async () => {
  await functions.stop();
  cleanUpVelaScratch();
});

describeWithFunctions('crossplane render: the realtime-platform Composition', () => {
  for (const example of ['minimal.app.yaml', 'user-flow.app.yaml', 'every-option.app.yaml']) {
    describe(`the claim of ${example}`, () => {
      let claim: KubeObject;
      let rendered: RenderResult;
      beforeAll(async () => {
        claim = await claimOf(example, claimApi.kind);
        rendered = await renderPlatform(claim);
      });

      it('composes the realtime-platform chart as a provider-helm Release that waits and rolls back', () => {
        const release = rendered.composed['realtime-platform'] as KubeObject;
        expect(release.apiVersion).toBe('helm.crossplane.io/v1beta1');
        expect(release.kind).toBe('Release');
        expect(release.metadata.annotations?.['crossplane.io/external-name']).toBe(claim.spec.name);
        expect(release.spec).toMatchObject({
          providerConfigRef: { name: addonNames.providerConfig },
          rollbackLimit: 3,
          forProvider: {
            chart: { name: 'realtime-platform', repository: chartRepository, version: '0.1.0' },
            namespace: claim.metadata.namespace,
            wait: true,
            waitTimeout: '15m',
          },
        });
      });

      it('passes the normalised claim spec verbatim as values.platform', () => {
        const release = rendered.composed['realtime-platform'] as KubeObject;
        expect(release.spec.forProvider.values.platform).toEqual(parseClaimSpec(claim.spec));
      });

      it('turns the Lenses subcharts on exactly for streamProcessing: lenses, with the addon licence settings', () => {
        const { values } = (rendered.composed['realtime-platform'] as KubeObject).spec.forProvider;
        const lenses = parseClaimSpec(claim.spec).streamProcessing === 'lenses';
        expect(values.clusterDomain).toBe('cluster.local');
        expect(values.lenses).toEqual({ enabled: lenses });
        if (lenses) {
          expect(values['lenses-hq']).toEqual({
            license: { acceptEULA: false, existingSecret: 'lenses-license' },
          });
          expect(values['lenses-agent']).toEqual({ acceptEULA: false });
        } else {
          expect(Object.keys(values).sort()).toEqual(['clusterDomain', 'lenses', 'platform']);
        }
      });

      it('writes the secret names and endpoints of the contract into the status, not ready yet', () => {
        const platform = describePlatform({
          claim: claim.spec,
          namespace: claim.metadata.namespace as string,
        });
        const expected = platformStatusFields(platform);
        expect(rendered.composite?.status).toMatchObject({
          ready: false,
          message: `installing the realtime-platform chart into namespace ${claim.metadata.namespace}`,
          secrets: expected.secrets,
        });
        expect(rendered.composite?.status.endpoints).toEqual(expected.endpoints);
      });

      it('composes the connection Secret next to the five secrets', () => {
        const secret = rendered.composed['connection-secret'] as KubeObject;
        expect(secret.kind).toBe('Secret');
        expect(secret.metadata).toMatchObject({
          name: `${claim.spec.name}-realtime-connection`,
          namespace: claim.metadata.namespace,
        });
        const platform = describePlatform({
          claim: claim.spec,
          namespace: claim.metadata.namespace as string,
        });
        const { secrets } = platformStatusFields(platform);
        expect(decode(secret.data)).toEqual({
          platform: claim.spec.name,
          namespace: claim.metadata.namespace,
          ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`secret.${k}`, v])),
        });
      });
    });
  }

  it('reports ready, and the composite Ready, once the Release is ready', async () => {
    const claim = await claimOf('minimal.app.yaml', claimApi.kind);
    const first = await renderPlatform(claim);
    const rendered = await renderPlatform(claim, [
      observedRelease(first, { status: 'True', reason: 'Available' }),
      first.composed['connection-secret'] as KubeObject,
    ]);
    expect(rendered.composite?.status).toMatchObject({ ready: true, message: 'ready' });
    const conditions = rendered.composite?.status.conditions as { type: string; status: string }[];
    expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('reports why the Release is not ready in status.message', async () => {
    const claim = await claimOf('minimal.app.yaml', claimApi.kind);
    const first = await renderPlatform(claim);
    const rendered = await renderPlatform(claim, [
      observedRelease(first, {
        status: 'False',
        reason: 'Unavailable',
        message: 'timed out waiting for the condition',
      }),
    ]);
    expect(rendered.composite?.status).toMatchObject({
      ready: false,
      message: 'realtime-platform release not ready: timed out waiting for the condition',
    });
    const conditions = rendered.composite?.status.conditions as { type: string; status: string }[];
    expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
  });
});

describeWithFunctions('crossplane render: the iot-broker Composition', () => {
  it('installs the iot-broker chart with the broker settings and reports its endpoints', async () => {
    const claim = await claimOf('iot-broker.app.yaml', addonNames.iotBrokerKind);
    const result = await render(functions, {
      xr: compositeFromClaim(claim, addonNames.iotBrokerCompositeKind),
      composition: objectOf(addon, 'Composition', 'iot-broker'),
      functionObjects: addon.objects.filter((o) => o.kind === 'Function'),
      xrd: objectOf(addon, 'CompositeResourceDefinition', 'xiotbrokerclaims.platform.example.org'),
    });
    expect(result.stderr).toBe('');
    const release = result.composed['iot-broker'] as KubeObject;
    expect(release.spec.forProvider).toMatchObject({
      chart: { name: 'iot-broker', repository: chartRepository },
      namespace: 'apps',
      wait: true,
      values: {
        name: 'ward-devices',
        clusterDomain: 'cluster.local',
        auth: { users: [{ username: 'monitor-7', password: 'change-me-7' }] },
        persistence: { enabled: true, size: '2Gi' },
      },
    });
    expect(result.composite?.status).toMatchObject({
      ready: false,
      secrets: { mqtt: 'ward-devices-mqtt-secret' },
      endpoints: {
        mqtt: 'mqtt://ward-devices-mqtt.apps.svc.cluster.local:1883',
        mqttWebSocket: 'ws://ward-devices-mqtt.apps.svc.cluster.local:9001/mqtt',
      },
    });
  });
});

describe('crossplane render prerequisites', () => {
  it('has every composition function built from the Go module proxy, or its exact build error recorded', () => {
    for (const tool of Object.values(LocalFunctions.binaries)) {
      if (GoTool.isAvailable(tool)) continue;
      const error = goToolBuildError(tool);
      // Not silently skipped: the installer kept the proxy's refusal (see go-tools.json).
      expect(error).toMatch(/403 Forbidden|not available|error/i);
      console.warn(`crossplane render skipped: ${tool} could not be built:\n${error}`);
    }
  });
});
