import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@realtime-platform/local-infra';
import { findExecutable } from '@realtime-platform/toolchain';
import { localClusterErrors } from '../local-cluster-errors.js';
import { PortBridge } from './port-bridge.js';

/** What a kubelet would mount at /var/run/secrets/kubernetes.io/serviceaccount. */
export interface ServiceAccountMount {
  token: string;
  caCertificate: string;
  namespace: string;
}

export interface PodSandboxOptions {
  service: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** A directory of its own (sockets, the service-account files, the log). */
  runDir: string;
  /** Host loopback ports the process reaches at the same address (the API server, a chart repo). */
  hostPorts: number[];
  /**
   * Absolute paths that are the pod's own, empty at start, as in a container's filesystem (e.g.
   * provider-helm's chart cache /tmp/charts, which on the host would outlive the run and serve a
   * stale chart of the same version to the next one).
   */
  privateDirs?: string[];
  /** Mounted where in-cluster clients read it (rest.InClusterConfig, InjectedIdentity). */
  serviceAccount?: ServiceAccountMount;
  /** KUBERNETES_SERVICE_HOST/PORT: the API server as in-cluster clients find it. */
  apiServerPort: number;
}

const forwarderScript = fileURLToPath(
  new URL('../../bin/namespace-forwarder.mjs', import.meta.url),
);

// Inside the new namespaces: loopback up, the service account mounted over /var/run (a tmpfs
// of the sandbox only), the pod's private directories (tmpfs), the port forwarder started, then
// the pod's process.
const sandboxScript = `set -eu
ip link set lo up
if [ -n "$RTP_SA_DIR" ]; then
  run=$(readlink -f /var/run)
  mount -t tmpfs -o size=1m,mode=0755 rtp-pod-run "$run"
  mkdir -p "$run/secrets/kubernetes.io/serviceaccount"
  cp "$RTP_SA_DIR/token" "$RTP_SA_DIR/ca.crt" "$RTP_SA_DIR/namespace" "$run/secrets/kubernetes.io/serviceaccount/"
fi
for dir in $RTP_PRIVATE_DIRS; do
  mount -t tmpfs -o mode=0700 rtp-pod-private "$dir"
done
"$RTP_NODE" "$RTP_FORWARDER" "$RTP_READY" "$RTP_SOCKETS" $RTP_PORTS &
i=0
while [ ! -e "$RTP_READY" ]; do
  i=$((i + 1))
  if [ "$i" -gt 400 ]; then echo "pod sandbox: port forwarder not ready" >&2; exit 1; fi
  sleep 0.05
done
exec "$@"
`;

/**
 * A controller that runs as a pod would: its own network namespace (its fixed ports, e.g.
 * controller-runtime's :8080 metrics, collide with nothing), the host's API server and other
 * loopback services reachable at their usual addresses through a Unix-socket bridge, and its
 * ServiceAccount token where in-cluster clients read it. Needs root or unprivileged user
 * namespaces (util-linux unshare, iproute2 ip).
 */
export class PodSandbox {
  private constructor(
    private readonly process: ManagedProcess,
    private readonly bridge: PortBridge,
  ) {}

  static async start(options: PodSandboxOptions): Promise<PodSandbox> {
    const unshare = findExecutable('unshare', ['/usr/bin']);
    const ip = findExecutable('ip', ['/usr/sbin', '/sbin']);
    if (!unshare || !ip) {
      throw localClusterErrors.SANDBOX_UNAVAILABLE({
        reason: `${unshare ? 'ip (Debian package iproute2)' : 'unshare (util-linux)'} not found`,
      });
    }
    mkdirSync(options.runDir, { recursive: true });
    const sockets = join(options.runDir, 'sockets');
    const bridge = await PortBridge.open(sockets, options.hostPorts);
    let saDir = '';
    if (options.serviceAccount) {
      saDir = join(options.runDir, 'serviceaccount');
      mkdirSync(saDir, { recursive: true, mode: 0o700 });
      writeFileSync(join(saDir, 'token'), options.serviceAccount.token, { mode: 0o600 });
      writeFileSync(join(saDir, 'ca.crt'), options.serviceAccount.caCertificate);
      writeFileSync(join(saDir, 'namespace'), options.serviceAccount.namespace);
    }
    // The mount points of the private directories (empty; the sandbox mounts over them).
    for (const dir of options.privateDirs ?? []) mkdirSync(dir, { recursive: true });
    const asRoot = process.getuid?.() === 0;
    const managed = new ManagedProcess({
      service: options.service,
      command: unshare,
      args: [
        ...(asRoot ? [] : ['--user', '--map-root-user']),
        '--net',
        '--mount',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-c',
        sandboxScript,
        'pod-sandbox',
        options.command,
        ...options.args,
      ],
      env: {
        PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`,
        HOME: options.runDir,
        ...options.env,
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(options.apiServerPort),
        RTP_SA_DIR: saDir,
        RTP_NODE: process.execPath,
        RTP_FORWARDER: forwarderScript,
        RTP_READY: join(options.runDir, 'forwarder.ready'),
        RTP_SOCKETS: sockets,
        RTP_PORTS: options.hostPorts.join(' '),
        RTP_PRIVATE_DIRS: (options.privateDirs ?? []).join(' '),
      },
      logFile: join(options.runDir, `${options.service}.log`),
    });
    return new PodSandbox(managed, bridge);
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

  exitedError(): Error {
    return this.process.exitedError();
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
    await this.bridge.close();
  }
}
