import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  ManagedProcess,
  runToCompletion,
  waitUntilReady,
} from '@realtime-platform/local-infra';
import { GoTool, goToolModulePath } from '@realtime-platform/toolchain';
import type { KubeApi, KubeObject } from '../kube/kube-api.js';
import type { Kubectl } from '../kube/kubectl.js';
import { CertificateAuthority } from '../pki/openssl.js';
import { PodSandbox } from '../pod-sandbox/pod-sandbox.js';

export const crossplaneNamespace = 'crossplane-system';

/** The Secrets Crossplane's chart names (its init container creates them). */
const tlsSecrets = {
  ca: 'crossplane-root-ca',
  server: 'crossplane-tls-server',
  client: 'crossplane-tls-client',
};

/**
 * How packages run: providers as Deployments (Crossplane creates Deployment, ServiceAccount and
 * TLS Secrets as on any cluster; kwok runs the pod, ProviderRuntime runs the real binary as that
 * pod), functions External (FunctionRuntime runs them with TLS and provides their endpoint).
 */
export const packageRuntime = 'Provider=Deployment;Function=External';

type SecretData = KubeObject & { data?: Record<string, string> };

/**
 * Crossplane v2.2 as its Helm chart runs it, with webhooks off: `crossplane core init` (CRDs,
 * the root CA and TLS Secrets, the default ManagedResourceActivationPolicy activating every
 * managed resource, as the chart's provider.defaultActivations ["*"]), `crossplane core start`
 * as a host process with the TLS client certificate it calls functions with, and `crossplane
 * rbac start` (the RBAC manager: providers' ServiceAccounts get their system ClusterRoles) in a
 * pod sandbox, its metrics port being a fixed :8080.
 */
export class CrossplaneCore {
  private constructor(
    private readonly core: ManagedProcess,
    private readonly rbacManager: PodSandbox,
    /** Crossplane's root CA: signs the functions' serving certificates, as its runtime would. */
    readonly rootCa: CertificateAuthority,
  ) {}

  static async start(
    runDir: string,
    kubeconfig: string,
    api: KubeApi,
    kubectl: Kubectl,
    apiServerPort: number,
  ): Promise<CrossplaneCore> {
    const binary = GoTool.locate('crossplane-core').binary;
    await api.createIfMissing('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: crossplaneNamespace },
    });
    // The chart's ServiceAccount of Crossplane: its Deployment runtime copies its image pull
    // secrets into every provider's ServiceAccount, and fails without it.
    await api.createIfMissing(`/api/v1/namespaces/${crossplaneNamespace}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'crossplane', namespace: crossplaneNamespace },
    });
    const env = {
      ...process.env,
      KUBECONFIG: kubeconfig,
      POD_NAMESPACE: crossplaneNamespace,
      POD_SERVICE_ACCOUNT: 'crossplane',
      ENABLE_WEBHOOKS: 'false',
      TLS_CA_SECRET_NAME: tlsSecrets.ca,
      TLS_SERVER_SECRET_NAME: tlsSecrets.server,
      TLS_CLIENT_SECRET_NAME: tlsSecrets.client,
    };
    const logFile = join(runDir, 'crossplane.log');
    const crds = goToolModulePath('crossplane-core', 'cluster/crds');
    // core init applies the CRDs and at once creates objects of them; in the chart it is an init
    // container that restarts until discovery caught up. Established CRDs first spare the restarts.
    await kubectl.applyCrds(crds);
    await runToCompletion({
      service: 'crossplane core init',
      command: binary,
      args: ['core', 'init', '--activation=*'],
      // CRDS_PATH: kong spells the flag --cr-ds-path; the environment variable is stable.
      env: { ...env, CRDS_PATH: crds },
      logFile,
    });
    // The chart mounts these Secrets as directories; core start reads its client certificate there.
    const tlsDir = join(runDir, 'crossplane-tls');
    const client = await writeSecretFiles(api, tlsSecrets.client, join(tlsDir, 'client'));
    const ca = await writeSecretFiles(api, tlsSecrets.ca, join(tlsDir, 'ca'));
    const rootCa = CertificateAuthority.fromFiles(
      join(tlsDir, 'ca'),
      join(ca, 'tls.crt'),
      join(ca, 'tls.key'),
    );
    const [metricsPort, healthPort] = [await freePort(), await freePort()];
    const cacheDir = join(runDir, 'crossplane-cache');
    mkdirSync(join(cacheDir, 'xpkg'), { recursive: true });
    const core = new ManagedProcess({
      service: 'crossplane',
      command: binary,
      args: [
        'core',
        'start',
        `--package-runtime=${packageRuntime}`,
        `--xpkg-cache-dir=${join(cacheDir, 'xpkg')}`,
        `--metrics-port=${metricsPort}`,
        `--health-probe-port=${healthPort}`,
        // Drift checks every 10 s instead of every minute: the tests wait on reconciled state.
        '--poll-interval=10s',
      ],
      env: { ...env, TLS_CLIENT_CERTS_DIR: client },
      logFile,
    });
    await waitUntilReady({
      process: core,
      probe: async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok,
      timeoutMs: 90_000,
    });
    const rbacDir = join(runDir, 'crossplane-rbac-manager');
    const rbacManager = await PodSandbox.start({
      service: 'crossplane-rbac-manager',
      command: binary,
      args: ['rbac', 'start'],
      env: { KUBECONFIG: kubeconfig, POD_NAMESPACE: crossplaneNamespace },
      runDir: rbacDir,
      hostPorts: [apiServerPort],
      apiServerPort,
    });
    return new CrossplaneCore(core, rbacManager, rootCa);
  }

  get logFiles(): string[] {
    return [this.core.logFile, this.rbacManager.logFile];
  }

  get pids(): (number | undefined)[] {
    return [this.core.pid, this.rbacManager.pid];
  }

  async stop(): Promise<void> {
    await this.rbacManager.stop();
    await this.core.stop(10_000);
  }
}

/** A Secret's keys as files in `dir` (as a kubelet mounts a secret volume); returns `dir`. */
export async function writeSecretFiles(api: KubeApi, name: string, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = await api.json<SecretData>(
    'GET',
    `/api/v1/namespaces/${crossplaneNamespace}/secrets/${name}`,
  );
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    writeFileSync(join(dir, key), Buffer.from(value, 'base64'), { mode: 0o600 });
  }
  return dir;
}
