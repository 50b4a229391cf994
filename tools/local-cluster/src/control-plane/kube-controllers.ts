import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool } from '@realtime-platform/toolchain';
import type { ClusterPki } from '../pki/cluster-pki.js';
import { httpsHealthy } from './health-endpoint.js';

/** kube-controller-manager or kube-scheduler, run as a host process with the admin kubeconfig. */
export class KubeController {
  private constructor(private readonly process: ManagedProcess) {}

  /**
   * kube-controller-manager: Deployments -> ReplicaSets -> Pods, Jobs, PVC binding, namespace
   * deletion, garbage collection, ServiceAccounts and kube-root-ca.crt in every namespace.
   */
  static startControllerManager(
    runDir: string,
    pki: ClusterPki,
    kubeconfig: string,
  ): Promise<KubeController> {
    return KubeController.start('kube-controller-manager', runDir, pki, kubeconfig, [
      `--service-account-private-key-file=${pki.serviceAccountKeys.key}`,
      `--root-ca-file=${pki.ca.cert}`,
      // Namespaced objects of deleted owners go promptly (Application deletion tests).
      '--concurrent-gc-syncs=5',
    ]);
  }

  /** kube-scheduler: binds pods to the kwok node. */
  static startScheduler(
    runDir: string,
    pki: ClusterPki,
    kubeconfig: string,
  ): Promise<KubeController> {
    return KubeController.start('kube-scheduler', runDir, pki, kubeconfig, []);
  }

  private static async start(
    name: 'kube-controller-manager' | 'kube-scheduler',
    runDir: string,
    pki: ClusterPki,
    kubeconfig: string,
    extraArgs: string[],
  ): Promise<KubeController> {
    const binary = GoTool.locate('kubernetes', process.env, name).binary;
    const port = await freePort();
    const managed = new ManagedProcess({
      service: name,
      command: binary,
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--tls-cert-file=${pki.loopbackServing.cert}`,
        `--tls-private-key-file=${pki.loopbackServing.key}`,
        ...extraArgs,
        '--v=1',
      ],
      logFile: join(runDir, `${name}.log`),
    });
    await waitUntilReady({
      process: managed,
      probe: () => httpsHealthy(port, pki.ca.cert),
      timeoutMs: 60_000,
    });
    return new KubeController(managed);
  }

  get service(): string {
    return this.process.service;
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
