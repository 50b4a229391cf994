import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  claimApi,
  describePlatform,
  parseClaimSpec,
  platformStatusFields,
} from '@realtime-platform/platform-contract';
import { addonNames, addonsRoot } from '../../src/index.js';
import { objectOf, renderAddonOk, type RenderedAddon } from '../support/addon-render.js';
import { compositeFromClaim } from '../support/crossplane-render.js';
import { executeGoTemplatingStep } from '../support/go-template-step.js';
import type { KubeObject } from '../support/kube-object.js';
import { cleanUpVelaScratch, dryRun } from '../support/vela-cli.js';

// The Compositions' function-go-templating step, executed with helm's engine (text/template +
// sprig, as the function runs it) on the template text template.cue installs. The XR is what the
// API server makes of the claim: its spec defaulted by the XRD schema, which parseClaimSpec
// mirrors (the contract tests that). crossplane render runs the same checks with the real
// functions in composition-render.test.ts whenever they can be built.

const chartRepository = 'https://charts.example.test/realtime-platform';
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

const defaulted = (claim: KubeObject): KubeObject => ({
  ...claim,
  spec: parseClaimSpec(claim.spec),
});

const decode = (data: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );

function platformStep(claim: KubeObject, resources?: Record<string, KubeObject>) {
  return executeGoTemplatingStep(objectOf(addon, 'Composition', 'realtime-platform'), {
    composite: compositeFromClaim(defaulted(claim), claimApi.compositeKind),
    resources,
  });
}

function withReadyCondition(release: KubeObject, status: string, message = ''): KubeObject {
  return {
    ...release,
    status: {
      conditions: [
        { type: 'Ready', status, reason: status === 'True' ? 'Available' : 'Unavailable', message },
      ],
    },
  };
}

beforeAll(async () => {
  addon = await renderAddonOk({
    chartRepository,
    chartVersion: '0.1.0',
    releaseWaitTimeout: '20m',
  });
});
afterAll(cleanUpVelaScratch);

describe('realtime-platform Composition (go-templating step)', () => {
  for (const example of ['minimal.app.yaml', 'user-flow.app.yaml', 'every-option.app.yaml']) {
    describe(`for the claim of ${example}`, () => {
      let claim: KubeObject;
      let step: Awaited<ReturnType<typeof platformStep>>;
      beforeAll(async () => {
        claim = await claimOf(example, claimApi.kind);
        step = await platformStep(claim);
      });

      it('composes exactly the Release and the connection Secret', () => {
        expect(Object.keys(step.composed).sort()).toEqual([
          'connection-secret',
          'realtime-platform',
        ]);
      });

      it('installs the realtime-platform chart as a provider-helm Release that waits and rolls back', () => {
        const release = step.composed['realtime-platform'] as KubeObject;
        expect(release.apiVersion).toBe('helm.crossplane.io/v1beta1');
        expect(release.kind).toBe('Release');
        expect(release.metadata.annotations?.['crossplane.io/external-name']).toBe(claim.spec.name);
        expect(release.spec).toEqual({
          providerConfigRef: { name: addonNames.providerConfig },
          rollbackLimit: 3,
          forProvider: expect.objectContaining({
            chart: { name: 'realtime-platform', repository: chartRepository, version: '0.1.0' },
            namespace: claim.metadata.namespace,
            wait: true,
            waitTimeout: '20m',
          }),
        });
      });

      it('passes the normalised claim spec verbatim as values.platform (no Crossplane fields)', () => {
        const { values } = (step.composed['realtime-platform'] as KubeObject).spec.forProvider;
        expect(values.platform).toEqual(parseClaimSpec(claim.spec));
        expect(values.platform.claimRef).toBeUndefined();
      });

      it('turns the Lenses subcharts on exactly for streamProcessing: lenses, with the addon licence settings', () => {
        const { values } = (step.composed['realtime-platform'] as KubeObject).spec.forProvider;
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

      it('writes the contract secret names and endpoints into the status, not ready yet', () => {
        const platform = describePlatform({
          claim: claim.spec,
          namespace: claim.metadata.namespace as string,
        });
        const expected = platformStatusFields(platform);
        expect(step.composite?.status).toEqual({
          ready: false,
          message: `installing the realtime-platform chart into namespace ${claim.metadata.namespace}`,
          secrets: expected.secrets,
          endpoints: expected.endpoints,
        });
      });

      it('composes the connection Secret in the claim namespace, marked ready', () => {
        const secret = step.composed['connection-secret'] as KubeObject;
        expect(secret.metadata).toMatchObject({
          name: `${claim.spec.name}-realtime-connection`,
          namespace: claim.metadata.namespace,
          annotations: { 'gotemplating.fn.crossplane.io/ready': 'True' },
        });
        const { secrets } = platformStatusFields(
          describePlatform({ claim: claim.spec, namespace: claim.metadata.namespace as string }),
        );
        expect(decode(secret.data)).toEqual({
          platform: claim.spec.name,
          namespace: claim.metadata.namespace,
          ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`secret.${k}`, v])),
        });
      });
    });
  }

  it('reports ready once the observed Release is Ready', async () => {
    const claim = await claimOf('minimal.app.yaml', claimApi.kind);
    const first = await platformStep(claim);
    const step = await platformStep(claim, {
      'realtime-platform': withReadyCondition(
        first.composed['realtime-platform'] as KubeObject,
        'True',
      ),
    });
    expect(step.composite?.status).toMatchObject({ ready: true, message: 'ready' });
  });

  it('says why the Release is not ready', async () => {
    const claim = await claimOf('minimal.app.yaml', claimApi.kind);
    const first = await platformStep(claim);
    const step = await platformStep(claim, {
      'realtime-platform': withReadyCondition(
        first.composed['realtime-platform'] as KubeObject,
        'False',
        'timed out waiting for the condition',
      ),
    });
    expect(step.composite?.status).toMatchObject({
      ready: false,
      message: 'realtime-platform release not ready: timed out waiting for the condition',
    });
  });

  it('installs into the claim namespace, not a fixed one', async () => {
    const claim = await claimOf('every-option.app.yaml', claimApi.kind);
    const step = await platformStep(claim);
    expect((step.composed['realtime-platform'] as KubeObject).spec.forProvider.namespace).toBe(
      'clinic',
    );
    expect(step.composite?.status.endpoints.metabaseUI).toBe(
      'http://clinic-grafana.clinic.svc.cluster.local:3000',
    );
  });
});

describe('iot-broker Composition (go-templating step)', () => {
  it('installs the iot-broker chart with name, users and persistence and reports its endpoints', async () => {
    const claim = await claimOf('iot-broker.app.yaml', addonNames.iotBrokerKind);
    const step = await executeGoTemplatingStep(objectOf(addon, 'Composition', 'iot-broker'), {
      composite: compositeFromClaim(claim, addonNames.iotBrokerCompositeKind),
    });
    expect(Object.keys(step.composed)).toEqual(['iot-broker']);
    expect((step.composed['iot-broker'] as KubeObject).spec.forProvider).toEqual({
      chart: { name: 'iot-broker', repository: chartRepository, version: '0.1.0' },
      namespace: 'apps',
      wait: true,
      waitTimeout: '20m',
      values: {
        name: 'ward-devices',
        clusterDomain: 'cluster.local',
        auth: { users: [{ username: 'monitor-7', password: 'change-me-7' }] },
        persistence: { enabled: true, size: '2Gi' },
      },
    });
    expect(step.composite?.status).toEqual({
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
