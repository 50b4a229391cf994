import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { addonsRoot } from '@realtime-platform/addons';
import {
  dryRunApplication,
  objectOf,
  type KubeObject,
  type RenderedAddon,
} from '../../src/index.js';
import { renderAddonOk } from '../support/addon-render.js';
import { containerOf, findObject } from '../support/kube-object.js';

// The workloads our definitions create or wire, as vela dry-run --offline renders them: non-root,
// read-only root filesystem, no capabilities, RuntimeDefault seccomp, no service-account token,
// resources, and a NetworkPolicy. The cluster suite applies the same objects to a real API server.

const example = (name: string): string => join(addonsRoot, 'examples', name);
const scratch = mkdtempSync(join(tmpdir(), 'rtp-hardening-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let addon: RenderedAddon;
let addonWithOverride: RenderedAddon;
beforeAll(async () => {
  addon = await renderAddonOk({ chartRepository: 'https://charts.example.test/realtime-platform' });
  addonWithOverride = await renderAddonOk({
    chartRepository: 'https://charts.example.test/realtime-platform',
    overrideWebservice: true,
  });
});

/** Dry-runs an Application given as an object (components only; in namespace apps). */
async function dryRun(
  components: unknown[],
  options: Parameters<typeof dryRunApplication>[1] = {},
): Promise<Awaited<ReturnType<typeof dryRunApplication>>> {
  const file = join(scratch, `app-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'hardening', namespace: 'apps' },
      spec: { components },
    }),
  );
  return dryRunApplication(file, options);
}

const hardenedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
const hardenedPod = (user = 65532) => ({
  runAsNonRoot: true,
  runAsUser: user,
  runAsGroup: user,
  fsGroup: user,
  seccompProfile: { type: 'RuntimeDefault' },
});
/** Egress of a wired workload: this namespace's pods (the platform) and DNS. */
const platformEgress = [
  { to: [{ podSelector: {} }] },
  {
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  },
];

function expectHardenedPod(workload: KubeObject, user = 65532): void {
  const pod = workload.spec.template.spec;
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.securityContext).toEqual(hardenedPod(user));
  const container = containerOf(workload);
  expect(container.securityContext).toEqual(hardenedContainer);
  // The read-only root filesystem leaves /tmp writable, on an emptyDir.
  const tmp = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
  expect(pod.volumes).toContainEqual({ name: tmp?.name, emptyDir: {} });
}

describe('workloads of realtime-webservice, realtime-service and the realtime trait', () => {
  let objects: KubeObject[];
  beforeAll(async () => {
    const result = await dryRunApplication(example('user-flow-realtime-webservice.app.yaml'), {
      builtin: ['component/webservice.cue'],
      objects: [objectOf(addon, 'ComponentDefinition', 'realtime-service')],
    });
    expect(result.error).toBe('');
    objects = result.objects;
  });

  it.each(['health-app', 'health-feed', 'health-worker'])(
    '%s runs non-root on a read-only root filesystem, without capabilities or a service-account token',
    (name) => expectHardenedPod(findObject(objects, 'Deployment', name)),
  );

  it('gives every workload default resources (requests and a memory limit)', () => {
    for (const name of ['health-app', 'health-feed', 'health-worker']) {
      expect([name, containerOf(findObject(objects, 'Deployment', name)).resources]).toEqual([
        name,
        { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      ]);
    }
  });

  it('gives realtime-webservice a NetworkPolicy: its port open, egress only to the platform namespace and DNS', () => {
    const policy = findObject(objects, 'NetworkPolicy', 'health-app');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.oam.dev/component': 'health-app' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
      egress: platformEgress,
    });
    // The policy selects the Deployment's pods.
    const deployment = findObject(objects, 'Deployment', 'health-app');
    expect(deployment.spec.template.metadata.labels).toMatchObject(
      policy.spec.podSelector.matchLabels,
    );
  });

  it("gives the trait's workload (vela-core webservice) a NetworkPolicy selecting the labels the trait adds", () => {
    const policy = findObject(objects, 'NetworkPolicy', 'health-worker');
    const labels = {
      'realtime.platform.example.org/app': 'health-platform',
      'realtime.platform.example.org/component': 'health-worker',
    };
    expect(policy.spec.podSelector).toEqual({ matchLabels: labels });
    expect(
      findObject(objects, 'Deployment', 'health-worker').spec.template.metadata.labels,
    ).toEqual(expect.objectContaining(labels));
    expect(policy.spec.egress).toEqual(platformEgress);
  });
});

describe('overrides', () => {
  it('takes resources, the user, ingress peers and extra egress from the properties', async () => {
    const ingressFrom = [{ namespaceSelector: { matchLabels: { role: 'ingress' } } }];
    const extraEgress = [{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432 }] }];
    const result = await dryRun([
      {
        name: 'api',
        type: 'realtime-webservice',
        properties: {
          image: 'example/api:1.0.0',
          realtime: 'health-data',
          cpu: '250m',
          memory: '512Mi',
          runAsUser: 10001,
          networkPolicy: { ingressFrom, extraEgress },
        },
      },
    ]);
    expect(result.error).toBe('');
    const deployment = findObject(result.objects, 'Deployment', 'api');
    expectHardenedPod(deployment, 10001);
    expect(containerOf(deployment).resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { memory: '512Mi' },
    });
    const policy = findObject(result.objects, 'NetworkPolicy', 'api');
    expect(policy.spec.ingress).toEqual([
      { ports: [{ protocol: 'TCP', port: 8080 }], from: ingressFrom },
    ]);
    expect(policy.spec.egress).toEqual([...platformEgress, ...extraEgress]);
  });

  it("lets realtime-service reach its identity provider's keys (https) when it validates tokens by JWKS", async () => {
    const result = await dryRun(
      [
        {
          name: 'feed',
          type: 'realtime-service',
          properties: {
            realtime: 'health-data',
            auth: {
              jwksUrl: 'https://id.hospital.example/keys',
              issuer: 'https://id.hospital.example',
              audience: 'feed',
            },
          },
        },
      ],
      { objects: [objectOf(addon, 'ComponentDefinition', 'realtime-service')] },
    );
    expect(result.error).toBe('');
    expect(findObject(result.objects, 'NetworkPolicy', 'feed').spec.egress).toEqual([
      ...platformEgress,
      { ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  it('keeps the resources and /tmp mount a wired workload declares, and opens its declared ports', async () => {
    const result = await dryRun(
      [
        {
          name: 'legacy',
          type: 'k8s-objects',
          properties: {
            objects: [
              {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                metadata: { name: 'legacy' },
                spec: {
                  selector: { matchLabels: { app: 'legacy' } },
                  template: {
                    metadata: { labels: { app: 'legacy' } },
                    spec: {
                      securityContext: { runAsUser: 1000 },
                      containers: [
                        {
                          name: 'legacy',
                          image: 'example/legacy:1.0.0',
                          ports: [{ containerPort: 9000 }, { containerPort: 9100 }],
                          resources: { requests: { cpu: '2', memory: '4Gi' } },
                          volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
                        },
                      ],
                      volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory' } }],
                    },
                  },
                },
              },
            ],
          },
          traits: [{ type: 'realtime', properties: { platform: 'health-data' } }],
        },
      ],
      { builtin: ['component/k8s-objects.cue'] },
    );
    expect(result.error).toBe('');
    const deployment = findObject(result.objects, 'Deployment', 'legacy');
    const pod = deployment.spec.template.spec;
    // Its own user is kept (non-root is still required), group and fsGroup filled in.
    expect(pod.securityContext).toEqual({ ...hardenedPod(65532), runAsUser: 1000 });
    expect(pod.volumes).toEqual([{ name: 'scratch', emptyDir: { medium: 'Memory' } }]);
    const container = containerOf(deployment);
    expect(container.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' } });
    expect(container.securityContext).toEqual(hardenedContainer);
    expect(findObject(result.objects, 'NetworkPolicy', 'legacy').spec.ingress).toEqual([
      {
        ports: [
          { protocol: 'TCP', port: 9000 },
          { protocol: 'TCP', port: 9100 },
        ],
      },
    ]);
  });

  it('keeps a webservice (override) that is not wired to a platform free to reach anything, its port the only way in', async () => {
    const result = await dryRunApplication(example('plain-webservice.app.yaml'), {
      objects: [objectOf(addonWithOverride, 'ComponentDefinition', 'webservice')],
    });
    expect(result.error).toBe('');
    expectHardenedPod(findObject(result.objects, 'Deployment', 'api'));
    expect(findObject(result.objects, 'NetworkPolicy', 'api').spec).toEqual({
      podSelector: { matchLabels: { 'app.oam.dev/component': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });
});

describe('refusals', () => {
  it('refuses runAsUser 0 on realtime-webservice, naming the property and the bound', async () => {
    const result = await dryRunApplication(example('invalid/webservice-run-as-root.app.yaml'));
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain('parameter.runAsUser: invalid value 0 (out of bound >=1)');
  });

  it('refuses to wire a workload that asks to run as root', async () => {
    const result = await dryRunApplication(example('invalid/trait-on-root-workload.app.yaml'), {
      builtin: ['component/k8s-objects.cue'],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain(
      'realtime: the workload runs as root (securityContext.runAsUser: 0)',
    );
  });

  it.each([
    [
      'a privileged container',
      { securityContext: { privileged: true } },
      {},
      'realtime: container worker is privileged (securityContext.privileged: true)',
    ],
    [
      'a service-account token',
      {},
      { automountServiceAccountToken: true },
      'realtime: the workload mounts its service-account token (automountServiceAccountToken: true)',
    ],
  ])('refuses to wire a workload with %s', async (_what, container, pod, message) => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker' },
      spec: {
        selector: { matchLabels: { app: 'worker' } },
        template: {
          metadata: { labels: { app: 'worker' } },
          spec: {
            ...pod,
            containers: [{ name: 'worker', image: 'example/worker:1.0.0', ...container }],
          },
        },
      },
    };
    const result = await dryRun(
      [
        {
          name: 'worker',
          type: 'k8s-objects',
          properties: { objects: [deployment] },
          traits: [{ type: 'realtime', properties: { platform: 'health-data' } }],
        },
      ],
      { builtin: ['component/k8s-objects.cue'] },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain(message);
  });
});
