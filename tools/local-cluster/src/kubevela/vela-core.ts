import { copyFileSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool, goModuleToolSpec, goToolModulePath } from '@realtime-platform/toolchain';
import { tlsServing } from '../control-plane/health-endpoint.js';
import type { KubeApi, KubeObject } from '../kube/kube-api.js';
import type { ClusterPki } from '../pki/cluster-pki.js';
import type { Kubectl } from '../kube/kubectl.js';

export const velaSystemNamespace = 'vela-system';

/**
 * vela-core v1.10.6 as the vela-core chart installs it: its CRDs, its built-in definitions (webservice, k8s-objects,
 * garbage-collect, take-over, ...) and VelaQL views in vela-system, the controller as a host process, and the
 * chart's Deployment as the record of it that `vela addon enable` reads its version from (kwok
 * "runs" that pod; the real controller is the host process), and its admission webhooks
 * registered by URL (a Service cannot reach a host process here).
 */
/** The chart's admission webhooks (admission-webhooks/*.yaml), by URL instead of by Service. */
const velaWebhooks = {
  validating: [
    ['validating.core.oam.dev.v1beta1.traitdefinitions', 'traitdefinitions'],
    ['validating.core.oam.dev.v1beta1.applications', 'applications'],
    ['validating.core.oam-dev.v1beta1.componentdefinitions', 'componentdefinitions'],
    ['validating.core.oam-dev.v1beta1.policydefinitions', 'policydefinitions'],
    ['validating.core.oam-dev.v1beta1.workflowstepdefinitions', 'workflowstepdefinitions'],
  ],
  mutating: [
    ['mutating.core.oam.dev.v1beta1.applications', 'applications'],
    ['mutating.core.oam-dev.v1beta1.componentdefinitions', 'componentdefinitions'],
  ],
} as const;

/**
 * vela-core's Validating/MutatingWebhookConfigurations as its chart registers them (failure
 * policy Fail), pointing at the host process: Applications are validated at admission, so an
 * invalid one is refused by the API server as on any cluster running vela-core.
 */
export function velaWebhookConfigurations(url: string, caFile: string): KubeObject[] {
  const caBundle = readFileSync(caFile).toString('base64');
  const webhooks = (kind: 'validating' | 'mutating') =>
    velaWebhooks[kind].map(([name, resource]) => ({
      name,
      clientConfig: { url: `${url}/${kind}-core-oam-dev-v1beta1-${resource}`, caBundle },
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1beta1', 'v1'],
      timeoutSeconds: 5,
      rules: [
        {
          apiGroups: ['core.oam.dev'],
          apiVersions: ['v1beta1'],
          operations: ['CREATE', 'UPDATE'],
          resources: [resource],
        },
      ],
    }));
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'kubevela-vela-core-admission' },
      webhooks: webhooks('validating'),
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'kubevela-vela-core-admission' },
      webhooks: webhooks('mutating'),
    },
  ];
}

export class VelaCore {
  private constructor(private readonly process: ManagedProcess) {}

  static async start(
    runDir: string,
    pki: ClusterPki,
    kubeconfig: string,
    api: KubeApi,
    kubectl: Kubectl,
  ): Promise<VelaCore> {
    const binary = GoTool.locate('vela-core').binary;
    const version = goModuleToolSpec('vela-core').version;
    await kubectl.applyCrds(goToolModulePath('vela-core', 'charts/vela-core/crds'));
    await api.createIfMissing('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: velaSystemNamespace },
    });
    // The chart's built-in definitions and VelaQL views (vela status --endpoints reads them),
    // with the charts' one template expression resolved.
    const definitionsDir = join(runDir, 'vela-builtin-definitions');
    mkdirSync(definitionsDir, { recursive: true });
    for (const folder of ['defwithtemplate', 'velaql']) {
      const source = goToolModulePath('vela-core', `charts/vela-core/templates/${folder}`);
      for (const file of readdirSync(source).filter((f) => f.endsWith('.yaml'))) {
        writeFileSync(
          join(definitionsDir, `${folder}-${file}`),
          readFileSync(join(source, file), 'utf8').replaceAll(
            '{{ include "systemDefinitionNamespace" . }}',
            velaSystemNamespace,
          ),
        );
      }
    }
    await kubectl.apply(definitionsDir);
    await api.createIfMissing(`/apis/apps/v1/namespaces/${velaSystemNamespace}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'kubevela-vela-core',
        namespace: velaSystemNamespace,
        labels: { 'controller.oam.dev/name': 'vela-core', 'app.kubernetes.io/name': 'vela-core' },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'vela-core' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'vela-core' } },
          spec: { containers: [{ name: 'kubevela', image: `oamdev/vela-core:${version}` }] },
        },
      },
    });
    const [healthPort, webhookPort] = [await freePort(), await freePort()];
    // The webhook's serving certificate (the chart's cert job makes one for its Service).
    const certDir = join(runDir, 'vela-core-webhook-certs');
    mkdirSync(certDir, { recursive: true });
    const serving = await pki.ca.issue({
      name: 'vela-core-webhook',
      commonName: 'vela-core-webhook',
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
    });
    copyFileSync(serving.cert, join(certDir, 'tls.crt'));
    copyFileSync(serving.key, join(certDir, 'tls.key'));
    const managed = new ManagedProcess({
      service: 'vela-core',
      command: binary,
      args: [
        '--use-webhook=true',
        `--webhook-port=${webhookPort}`,
        `--webhook-cert-dir=${certDir}`,
        '--enable-leader-election=false',
        // Its defaults bind :8080 and :9440 on every interface.
        '--metrics-addr=0',
        `--health-addr=127.0.0.1:${healthPort}`,
        `--system-definition-namespace=${velaSystemNamespace}`,
        '--application-revision-limit=2',
        '--definition-revision-limit=2',
      ],
      env: { ...process.env, KUBECONFIG: kubeconfig },
      logFile: join(runDir, 'vela-core.log'),
    });
    await waitUntilReady({
      process: managed,
      probe: async () =>
        (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok &&
        (await tlsServing(webhookPort, pki.ca.cert)),
      timeoutMs: 90_000,
    });
    await kubectl.apply(velaWebhookConfigurations(`https://127.0.0.1:${webhookPort}`, pki.ca.cert));
    return new VelaCore(managed);
  }

  get logFile(): string {
    return this.process.logFile;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
  }
}
