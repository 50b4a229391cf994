import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { KubeApi, KubeList, KubeObject } from '../kube/kube-api.js';
import { ReconcileLoop } from '../kube/reconcile-loop.js';
import { PodSandbox } from '../pod-sandbox/pod-sandbox.js';
import { crossplaneNamespace } from './crossplane-core.js';

/** A provider whose Deployment pods the harness runs as host processes. */
export interface HostedProvider {
  /** Matches the Deployment's container image path (after any ImageConfig rewrite). */
  imagePath: RegExp;
  binary: string;
  args?: string[];
}

interface Deployment extends KubeObject {
  spec: {
    template: {
      spec: { serviceAccountName?: string; containers: { name: string; image: string }[] };
    };
  };
}

interface RunningProvider {
  deploymentUid: string;
  sandbox: PodSandbox;
}

/**
 * The kubelet's part for provider pods: Crossplane's Deployment runtime creates the provider's
 * Deployment and ServiceAccount (from the DeploymentRuntimeConfig), kwok makes its pod Running,
 * and this runs the real provider binary as that pod: in a pod sandbox, with a token of the
 * Deployment's ServiceAccount mounted where in-cluster clients read it (so a ProviderConfig with
 * InjectedIdentity acts as that ServiceAccount, with exactly its RBAC). It starts the process
 * once the RBAC manager has bound the provider's system ClusterRole to that ServiceAccount.
 */
export class ProviderRuntime {
  private readonly running = new Map<string, RunningProvider>();
  // Rounds retry what failed (Deployment or binding not there yet, API server busy).
  private readonly loop: ReconcileLoop;

  constructor(
    private readonly api: KubeApi,
    private readonly runDir: string,
    private readonly caFile: string,
    private readonly apiServerPort: number,
    /** Other host loopback ports the providers reach (a chart repository). */
    private readonly hostPorts: number[],
    private readonly providers: HostedProvider[],
  ) {
    this.loop = new ReconcileLoop(() => this.reconcile());
  }

  get logFiles(): string[] {
    return [...this.running.values()].map((p) => p.sandbox.logFile);
  }

  get pids(): (number | undefined)[] {
    return [...this.running.values()].map((p) => p.sandbox.pid);
  }

  /** Names of the provider Deployments running as processes. */
  runningDeployments(): string[] {
    return [...this.running.keys()];
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all([...this.running.values()].map((p) => p.sandbox.stop()));
    this.running.clear();
  }

  private async reconcile(): Promise<void> {
    const deployments = await this.api.get<KubeList<Deployment>>(
      `/apis/apps/v1/namespaces/${crossplaneNamespace}/deployments`,
    );
    const seen = new Set<string>();
    for (const deployment of deployments?.items ?? []) {
      const owner = deployment.metadata.ownerReferences?.find((o) => o.kind === 'ProviderRevision');
      const container = deployment.spec.template.spec.containers[0];
      const provider = this.providers.find((p) => container && p.imagePath.test(container.image));
      if (!owner || !provider || deployment.metadata.deletionTimestamp) continue;
      const name = deployment.metadata.name;
      seen.add(name);
      const current = this.running.get(name);
      if (current && current.deploymentUid === deployment.metadata.uid && current.sandbox.running)
        continue;
      if (current) await current.sandbox.stop();
      const serviceAccount = deployment.spec.template.spec.serviceAccountName ?? 'default';
      if (!(await this.systemRoleBound(owner.name, serviceAccount))) continue;
      const token = await this.api.json<{ status: { token: string } }>(
        'POST',
        `/api/v1/namespaces/${crossplaneNamespace}/serviceaccounts/${serviceAccount}/token`,
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 86_400 },
        },
      );
      const sandbox = await PodSandbox.start({
        service: name,
        command: provider.binary,
        args: provider.args ?? [],
        env: { POD_NAMESPACE: crossplaneNamespace },
        runDir: join(this.runDir, 'providers', name),
        hostPorts: [this.apiServerPort, ...this.hostPorts],
        apiServerPort: this.apiServerPort,
        // A container's filesystem is its own: provider-helm caches pulled charts in /tmp/charts
        // by name and version, and a host-wide cache would give a later run a stale chart.
        privateDirs: ['/tmp/charts'],
        serviceAccount: {
          token: token.status.token,
          caCertificate: readFileSync(this.caFile, 'utf8'),
          namespace: crossplaneNamespace,
        },
      });
      this.running.set(name, { deploymentUid: deployment.metadata.uid ?? '', sandbox });
    }
    for (const [name, running] of this.running) {
      if (!seen.has(name)) {
        await running.sandbox.stop();
        this.running.delete(name);
      }
    }
  }

  /** The RBAC manager's ClusterRoleBinding crossplane:provider:<revision>:system names the SA. */
  private async systemRoleBound(revision: string, serviceAccount: string): Promise<boolean> {
    const binding = await this.api.get<
      KubeObject & { subjects?: { name: string; namespace?: string }[] }
    >(
      `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${encodeURIComponent(`crossplane:provider:${revision}:system`)}`,
    );
    return (binding?.subjects ?? []).some(
      (s) => s.name === serviceAccount && s.namespace === crossplaneNamespace,
    );
  }
}
