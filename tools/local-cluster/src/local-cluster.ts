import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { logTail, makeRunDir } from '@realtime-platform/local-infra';
import { GoTool } from '@realtime-platform/toolchain';
import { CrossplaneCore } from './crossplane/crossplane-core.js';
import { FunctionRuntime, type ExternalFunction } from './crossplane/function-runtime.js';
import { ProviderRuntime, type HostedProvider } from './crossplane/provider-runtime.js';
import { Etcd } from './control-plane/etcd.js';
import { KubeApiServer } from './control-plane/kube-apiserver.js';
import { KubeController } from './control-plane/kube-controllers.js';
import { KubeApi } from './kube/kube-api.js';
import { writeKubeconfig } from './kube/kubeconfig.js';
import { Kubectl } from './kube/kubectl.js';
import { VelaCore } from './kubevela/vela-core.js';
import { localClusterErrors } from './local-cluster-errors.js';
import { KwokNode, kwokNodeName } from './nodes/kwok-node.js';
import { PodConfigGate } from './nodes/pod-config-gate.js';
import { createClusterPki, type ClusterPki } from './pki/cluster-pki.js';
import { ChartRepositoryServer } from './packages/chart-repository-server.js';
import { mirrorPackages, type MirroredPackage } from './packages/crossplane-packages.js';
import { OciRegistry } from './packages/oci-registry.js';
import { createVolumePool } from './storage/volume-pool.js';

export interface CrossplaneOptions {
  /** Packages mirrored into the loopback registry (functions, providers), keeping their references. */
  packages: MirroredPackage[];
  /** Functions the harness runs (package runtime External). */
  functions: ExternalFunction[];
  /** Providers whose pods the harness runs as host processes. */
  providers: HostedProvider[];
}

export interface LocalClusterOptions {
  /** vela-core with its CRDs and built-in definitions. */
  kubevela?: boolean;
  /** Crossplane (core, RBAC manager), the loopback package registry and the package runtimes. */
  crossplane?: CrossplaneOptions;
  /** A folder of packaged charts + index.yaml served as a Helm repository on loopback. */
  chartRepository?: string;
  /** Pre-made PersistentVolumes of the default StorageClass (default 48). */
  volumes?: number;
}

/** Hard links (else copies) of `binaries` in `dir`; returns the pinned path of each. */
function pinBinaries(dir: string, parts: { binary: string }[]): (binary: string) => string {
  mkdirSync(dir, { recursive: true });
  const pinned = new Map<string, string>();
  for (const { binary } of parts) {
    if (pinned.has(binary)) continue;
    const target = join(dir, `${pinned.size}-${basename(binary)}`);
    try {
      linkSync(binary, target);
    } catch {
      copyFileSync(binary, target);
    }
    pinned.set(binary, target);
  }
  return (binary) => pinned.get(binary) ?? binary;
}

/** Clusters not yet stopped: a signal that ends the test runner must not leave them running. */
const liveClusters = new Set<LocalCluster>();
let signalHooksInstalled = false;

/**
 * On SIGINT/SIGTERM/SIGHUP (a cancelled or timed-out run) Node exits without its 'exit' event, so
 * the process groups would outlive it: kill them, then let the signal take its course.
 */
function installSignalHooks(): void {
  if (signalHooksInstalled) return;
  signalHooksInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const cluster of liveClusters) cluster.killSync();
      process.kill(process.pid, signal);
    });
  }
}

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * A real Kubernetes control plane on loopback, built from the Go module proxy (go-tools.json
 * clusterTools): etcd, kube-apiserver, kube-controller-manager, kube-scheduler and a kwok node
 * (pods Running, Jobs Complete, no containers), optionally vela-core, Crossplane with its package
 * runtimes, an OCI registry and a chart repository. Everything in one run directory, free ports,
 * readiness by real client probes; stop() stops every process by PID, clients first.
 */
export class LocalCluster {
  readonly kubectl: Kubectl;
  private readonly stack: Stoppable[] = [];
  private readonly logs: string[] = [];
  private readonly pidSources: (() => (number | undefined)[])[] = [];
  private apiServerPart: KubeApiServer | undefined;
  private chartRepositoryPart: ChartRepositoryServer | undefined;
  private registryPart: OciRegistry | undefined;
  private functionRuntimePart: FunctionRuntime | undefined;
  private providerRuntimePart: ProviderRuntime | undefined;
  private crossplanePart: CrossplaneCore | undefined;
  private stopped = false;

  private constructor(
    readonly runDir: string,
    readonly kubeconfig: string,
    readonly pki: ClusterPki,
    readonly api: KubeApi,
  ) {
    this.kubectl = new Kubectl(
      GoTool.locate('kubernetes', process.env, 'kubectl').binary,
      kubeconfig,
      join(runDir, 'scratch'),
    );
  }

  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const runDir = makeRunDir('cluster');
    mkdirSync(join(runDir, 'scratch'), { recursive: true });
    const pki = await createClusterPki(runDir);
    const etcd = await Etcd.start(runDir);
    let apiServer: KubeApiServer;
    try {
      apiServer = await KubeApiServer.start(runDir, pki, etcd.clientUrl);
    } catch (error) {
      await etcd.stop();
      throw error;
    }
    const kubeconfig = writeKubeconfig(join(runDir, 'admin.kubeconfig'), {
      server: apiServer.url,
      caFile: pki.ca.cert,
      user: { certFile: pki.admin.cert, keyFile: pki.admin.key },
    });
    const api = new KubeApi({
      server: apiServer.url,
      caFile: pki.ca.cert,
      certFile: pki.admin.cert,
      keyFile: pki.admin.key,
    });
    const cluster = new LocalCluster(runDir, kubeconfig, pki, api);
    liveClusters.add(cluster);
    installSignalHooks();
    cluster.apiServerPart = apiServer;
    cluster.push(etcd, [etcd.logFile], () => [etcd.pid]);
    cluster.push(apiServer, [apiServer.logFile], () => [apiServer.pid]);
    try {
      await cluster.startParts(options);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  private push(part: Stoppable, logs: string[], pids: () => (number | undefined)[]): void {
    this.stack.push(part);
    this.logs.push(...logs);
    this.pidSources.push(pids);
  }

  private async startParts(options: LocalClusterOptions): Promise<void> {
    const { runDir, pki, kubeconfig, api } = this;
    const controllerManager = await KubeController.startControllerManager(runDir, pki, kubeconfig);
    this.push(controllerManager, [controllerManager.logFile], () => [controllerManager.pid]);
    const scheduler = await KubeController.startScheduler(runDir, pki, kubeconfig);
    this.push(scheduler, [scheduler.logFile], () => [scheduler.pid]);
    const gate = new PodConfigGate(api, kwokNodeName);
    this.push(gate, [], () => []);
    const kwok = await KwokNode.start(runDir, kubeconfig, api);
    this.push(kwok, [kwok.logFile], () => [kwok.pid]);
    await createVolumePool(api, options.volumes ?? 48);
    if (options.chartRepository) {
      this.chartRepositoryPart = await ChartRepositoryServer.start(options.chartRepository);
      this.push(this.chartRepositoryPart, [], () => []);
    }
    if (options.kubevela) {
      const velaCore = await VelaCore.start(runDir, pki, kubeconfig, api, this.kubectl);
      this.push(velaCore, [velaCore.logFile], () => [velaCore.pid]);
    }
    if (options.crossplane) {
      const registry = await OciRegistry.start(runDir);
      this.registryPart = registry;
      this.push(registry, [registry.logFile], () => [registry.pid]);
      const crossplane = await CrossplaneCore.start(
        runDir,
        kubeconfig,
        api,
        this.kubectl,
        this.apiServer.port,
      );
      this.crossplanePart = crossplane;
      this.push(crossplane, crossplane.logFiles, () => crossplane.pids);
      await mirrorPackages(api, registry.host, join(runDir, 'xpkg'), options.crossplane.packages);
      // The binaries are pinned into the run dir (hard links): the shared tool cache drops a local
      // tool's other builds when another checkout builds its own, and these start later.
      const pinned = pinBinaries(join(runDir, 'bin'), [
        ...options.crossplane.functions,
        ...options.crossplane.providers,
      ]);
      const functions = new FunctionRuntime(
        api,
        crossplane.rootCa,
        runDir,
        options.crossplane.functions.map((f) => ({ ...f, binary: pinned(f.binary) })),
      );
      this.functionRuntimePart = functions;
      this.push(functions, [], () => functions.pids);
      const providers = new ProviderRuntime(
        api,
        runDir,
        pki.ca.cert,
        this.apiServer.port,
        this.chartRepositoryPart ? [this.chartRepositoryPart.port] : [],
        options.crossplane.providers.map((p) => ({ ...p, binary: pinned(p.binary) })),
      );
      this.providerRuntimePart = providers;
      this.push(providers, [], () => providers.pids);
    }
  }

  private get apiServer(): KubeApiServer {
    if (!this.apiServerPart) throw localClusterErrors.NOT_STARTED({ part: 'kube-apiserver' });
    return this.apiServerPart;
  }

  /** https://127.0.0.1:<port> of kube-apiserver. */
  get apiServerUrl(): string {
    return this.apiServer.url;
  }

  /** The loopback chart repository's URL (options.chartRepository). */
  get chartRepositoryUrl(): string {
    if (!this.chartRepositoryPart)
      throw localClusterErrors.NOT_STARTED({ part: 'chart repository' });
    return this.chartRepositoryPart.url;
  }

  get registry(): OciRegistry {
    if (!this.registryPart) throw localClusterErrors.NOT_STARTED({ part: 'OCI registry' });
    return this.registryPart;
  }

  get functionRuntime(): FunctionRuntime {
    if (!this.functionRuntimePart)
      throw localClusterErrors.NOT_STARTED({ part: 'function runtime' });
    return this.functionRuntimePart;
  }

  get providerRuntime(): ProviderRuntime {
    if (!this.providerRuntimePart)
      throw localClusterErrors.NOT_STARTED({ part: 'provider runtime' });
    return this.providerRuntimePart;
  }

  get crossplane(): CrossplaneCore {
    if (!this.crossplanePart) throw localClusterErrors.NOT_STARTED({ part: 'Crossplane' });
    return this.crossplanePart;
  }

  /** Every log file of the cluster's processes (the host processes and the pod sandboxes). */
  logFiles(): string[] {
    return [
      ...this.logs,
      ...(this.functionRuntimePart?.logFiles ?? []),
      ...(this.providerRuntimePart?.logFiles ?? []),
    ];
  }

  /** PIDs of every process the cluster runs (for "nothing left running" checks). */
  pids(): number[] {
    return this.pidSources
      .flatMap((source) => source())
      .filter((p): p is number => p !== undefined);
  }

  /** The last lines of every log, for a failed test's report. */
  logReport(lines = 40): string {
    return this.logFiles()
      .map((file) => `--- ${file}\n${logTail(file, lines)}`)
      .join('\n');
  }

  /** SIGKILL to every process group of the cluster, now (for a runner that is being killed). */
  killSync(): void {
    for (const pid of this.pids()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** Stops everything, clients before the API server (it waits on open watches), etcd last. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    liveClusters.delete(this);
    for (const part of [...this.stack].reverse()) {
      try {
        await part.stop();
      } catch {
        // Keep stopping the rest; each part stops its process group by PID.
      }
    }
    this.api.close();
  }
}
