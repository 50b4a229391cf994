import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool } from '@realtime-platform/toolchain';
import { KubeApi } from '../kube/kube-api.js';
import type { ClusterPki } from '../pki/cluster-pki.js';

/** The service network of Services' cluster IPs (nothing routes it here; helm --wait wants IPs). */
export const serviceClusterIpRange = '10.96.0.0/16';

/**
 * kube-apiserver v1.34 on 127.0.0.1 with RBAC, a client CA and service-account token signing,
 * backed by the local etcd. The flags are the ones found to matter on these machines
 * (REFERENCE.md): loopback bind + advertise address, and no endpoint reconciler, which would
 * otherwise complain every 10 s that 127.0.0.1 cannot be a Service endpoint.
 */
export class KubeApiServer {
  private constructor(
    readonly url: string,
    readonly port: number,
    private readonly process: ManagedProcess,
  ) {}

  static async start(runDir: string, pki: ClusterPki, etcdUrl: string): Promise<KubeApiServer> {
    const binary = GoTool.locate('kubernetes', process.env, 'kube-apiserver').binary;
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const managed = new ManagedProcess({
      service: 'kube-apiserver',
      command: binary,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        '--advertise-address=127.0.0.1',
        '--endpoint-reconciler-type=none',
        `--tls-cert-file=${pki.apiServer.cert}`,
        `--tls-private-key-file=${pki.apiServer.key}`,
        `--client-ca-file=${pki.ca.cert}`,
        `--service-account-key-file=${pki.serviceAccountKeys.pub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKeys.key}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--authorization-mode=RBAC',
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        '--allow-privileged=true',
        '--profiling=false',
        // One client at a time per component here: request fairness only costs memory.
        '--enable-priority-and-fairness=false',
        `--cert-dir=${join(runDir, 'kube-apiserver-certs')}`,
        '--v=1',
      ],
      logFile: join(runDir, 'kube-apiserver.log'),
    });
    const api = new KubeApi({
      server: url,
      caFile: pki.ca.cert,
      certFile: pki.admin.cert,
      keyFile: pki.admin.key,
    });
    try {
      await waitUntilReady({
        process: managed,
        // Every readiness check of the server (etcd, post-start hooks, RBAC bootstrap) passed.
        probe: async () => {
          const response = await api.raw('GET', '/readyz', undefined, undefined, 5_000);
          return response.status === 200;
        },
        timeoutMs: 90_000,
      });
    } finally {
      api.close();
    }
    return new KubeApiServer(url, port, managed);
  }

  get logFile(): string {
    return this.process.logFile;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  async stop(): Promise<void> {
    await this.process.stop(15_000);
  }
}
