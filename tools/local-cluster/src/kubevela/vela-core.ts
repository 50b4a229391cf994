import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool, goModuleToolSpec, goToolModulePath } from '@realtime-platform/toolchain';
import type { KubeApi } from '../kube/kube-api.js';
import type { Kubectl } from '../kube/kubectl.js';

export const velaSystemNamespace = 'vela-system';

/**
 * vela-core v1.10.6 as the vela-core chart installs it, minus the webhook (a local process cannot
 * be reached through a Service here): its CRDs, its built-in definitions (webservice, k8s-objects,
 * garbage-collect, take-over, ...) in vela-system, the controller as a host process, and the
 * chart's Deployment as the record of it that `vela addon enable` reads its version from (kwok
 * "runs" that pod; the real controller is the host process).
 */
export class VelaCore {
  private constructor(private readonly process: ManagedProcess) {}

  static async start(
    runDir: string,
    kubeconfig: string,
    api: KubeApi,
    kubectl: Kubectl,
  ): Promise<VelaCore> {
    const binary = GoTool.locate('vela-core').binary;
    const version = goModuleToolSpec('vela-core').version;
    await kubectl.apply(goToolModulePath('vela-core', 'charts/vela-core/crds'));
    await api.createIfMissing('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: velaSystemNamespace },
    });
    // The chart's built-in definitions, with its one template expression resolved.
    const definitionsDir = join(runDir, 'vela-builtin-definitions');
    mkdirSync(definitionsDir, { recursive: true });
    const source = goToolModulePath('vela-core', 'charts/vela-core/templates/defwithtemplate');
    for (const file of readdirSync(source).filter((f) => f.endsWith('.yaml'))) {
      writeFileSync(
        join(definitionsDir, file),
        readFileSync(join(source, file), 'utf8').replaceAll(
          '{{ include "systemDefinitionNamespace" . }}',
          velaSystemNamespace,
        ),
      );
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
    const healthPort = await freePort();
    const managed = new ManagedProcess({
      service: 'vela-core',
      command: binary,
      args: [
        '--use-webhook=false',
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
      probe: async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok,
      timeoutMs: 90_000,
    });
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
