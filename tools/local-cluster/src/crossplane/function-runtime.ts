import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import type { KubeApi, KubeList, KubeObject } from '../kube/kube-api.js';
import { ReconcileLoop } from '../kube/reconcile-loop.js';
import type { CertificateAuthority } from '../pki/openssl.js';
import { crossplaneNamespace } from './crossplane-core.js';

/** A composition function the harness runs for Crossplane (package runtime External). */
export interface ExternalFunction {
  /** The Function object's name (its revisions carry it as pkg.crossplane.io/package). */
  name: string;
  binary: string;
  /** Arguments besides the address and TLS directory (e.g. a metrics address). */
  args: (options: { address: string; tlsCertsDir: string }) => string[];
}

interface RunningFunction {
  revision: string;
  endpoint: string;
  /** The serving certificate, as the revision's TLS server Secret holds it. */
  tls: { 'tls.crt': string; 'tls.key': string; 'ca.crt': string };
  process: ManagedProcess;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

interface FunctionRevision extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec: { desiredState?: string; tlsServerSecretName?: string };
  status?: { endpoint?: string; tlsServerSecretName?: string; conditions?: Condition[] };
}

/** The revision's RuntimeHealthy condition, as Crossplane's runtime reports it (apis/pkg/v1). */
function runtimeHealthy(running: boolean, generation: number | undefined): Condition {
  return running
    ? {
        type: 'RuntimeHealthy',
        status: 'True',
        reason: 'HealthyPackageRevision',
        observedGeneration: generation ?? 0,
      }
    : {
        type: 'RuntimeHealthy',
        status: 'False',
        reason: 'UnhealthyPackageRevision',
        message: 'the function process is not running',
        observedGeneration: generation ?? 0,
      };
}

const parentPackageLabel = 'pkg.crossplane.io/package';

/**
 * The External package runtime for functions, doing what Crossplane's own function runtime does
 * (internal/controller/pkg/runtime/runtime_function.go) with a process for the pod: for each
 * active FunctionRevision of a known Function it issues a serving certificate for 127.0.0.1
 * signed by Crossplane's root CA (which also verifies Crossplane's client certificate), stores it
 * in the revision's TLS server Secret (spec.tlsServerSecretName, which the package manager leaves
 * to an External runtime), runs the function binary with it (mTLS), and writes the revision's
 * status: tlsServerSecretName (the revision waits for it), endpoint (which Crossplane dials,
 * internal/xfn/function_runner.go) and the RuntimeHealthy condition (the process is running).
 */
export class FunctionRuntime {
  private readonly running = new Map<string, RunningFunction>();
  // Rounds retry what failed (API server busy, revisions not there yet).
  private readonly loop: ReconcileLoop;

  constructor(
    private readonly api: KubeApi,
    private readonly rootCa: CertificateAuthority,
    private readonly runDir: string,
    private readonly functions: ExternalFunction[],
  ) {
    this.loop = new ReconcileLoop(() => this.reconcile());
  }

  /** The endpoint each function serves on (for assertions). */
  endpoints(): Record<string, string> {
    return Object.fromEntries([...this.running].map(([name, f]) => [name, f.endpoint]));
  }

  get logFiles(): string[] {
    return [...this.running.values()].map((f) => f.process.logFile);
  }

  get pids(): (number | undefined)[] {
    return [...this.running.values()].map((f) => f.process.pid);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all([...this.running.values()].map((f) => f.process.stop(5_000)));
    this.running.clear();
  }

  private async reconcile(): Promise<void> {
    const revisions = await this.api.get<KubeList<FunctionRevision>>(
      '/apis/pkg.crossplane.io/v1/functionrevisions',
    );
    for (const revision of revisions?.items ?? []) {
      const fn = this.functions.find(
        (f) => f.name === revision.metadata.labels?.[parentPackageLabel],
      );
      if (!fn || revision.spec.desiredState !== 'Active') continue;
      // With the External runtime Crossplane leaves the revision's runtime fields to the runtime
      // (internal/controller/pkg/manager: WithManagingRevisionRuntimeSpec only for Deployment):
      // the name Crossplane's own runtime would give (Function.GetTLSServerSecretName).
      const secretName = revision.spec.tlsServerSecretName ?? `${fn.name}-tls-server`;
      if (revision.spec.tlsServerSecretName !== secretName) {
        await this.api.mergePatch(
          `/apis/pkg.crossplane.io/v1/functionrevisions/${revision.metadata.name}`,
          { spec: { tlsServerSecretName: secretName } },
        );
      }
      let running = this.running.get(fn.name);
      if (running && running.revision !== revision.metadata.name) {
        await running.process.stop(5_000);
        running = undefined;
      }
      if (!running || !running.process.running) {
        running = await this.startFunction(fn, revision.metadata.name);
        this.running.set(fn.name, running);
      }
      await this.ensureServerSecret(revision, secretName, running);
      const health = runtimeHealthy(running.process.running, revision.metadata.generation);
      const conditions = revision.status?.conditions ?? [];
      const current = conditions.find((c) => c.type === health.type);
      if (
        revision.status?.endpoint !== running.endpoint ||
        revision.status?.tlsServerSecretName !== secretName ||
        current?.status !== health.status ||
        current?.observedGeneration !== health.observedGeneration
      ) {
        // A merge patch replaces the conditions list: keep the revision's own conditions.
        const stamped = {
          ...health,
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        };
        await this.api.mergePatch(
          `/apis/pkg.crossplane.io/v1/functionrevisions/${revision.metadata.name}/status`,
          {
            status: {
              endpoint: running.endpoint,
              tlsServerSecretName: secretName,
              conditions: [...conditions.filter((c) => c.type !== health.type), stamped],
            },
          },
        );
      }
    }
  }

  /** The revision's TLS server Secret, owned by the revision (garbage-collected with it). */
  private async ensureServerSecret(
    revision: FunctionRevision,
    name: string,
    running: RunningFunction,
  ): Promise<void> {
    const path = `/api/v1/namespaces/${crossplaneNamespace}/secrets`;
    const existing = await this.api.get<KubeObject & { data?: Record<string, string> }>(
      `${path}/${name}`,
    );
    const data = Object.fromEntries(
      Object.entries(running.tls).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    );
    if (existing && existing.data?.['tls.crt'] === data['tls.crt']) return;
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: crossplaneNamespace,
        ownerReferences: [
          {
            apiVersion: 'pkg.crossplane.io/v1',
            kind: 'FunctionRevision',
            name: revision.metadata.name,
            uid: revision.metadata.uid,
            controller: true,
          },
        ],
      },
      type: 'Opaque',
      data,
    };
    if (existing) await this.api.json('PUT', `${path}/${name}`, secret);
    else await this.api.json('POST', path, secret);
  }

  private async startFunction(fn: ExternalFunction, revision: string): Promise<RunningFunction> {
    const dir = join(this.runDir, 'functions', revision);
    const tlsCertsDir = join(dir, 'tls');
    mkdirSync(tlsCertsDir, { recursive: true });
    const issued = await this.rootCa.issue({
      name: `function-${revision}`,
      commonName: fn.name,
      ipAddresses: ['127.0.0.1'],
      dnsNames: ['localhost'],
      usage: 'server',
    });
    copyFileSync(issued.cert, join(tlsCertsDir, 'tls.crt'));
    copyFileSync(issued.key, join(tlsCertsDir, 'tls.key'));
    copyFileSync(this.rootCa.cert, join(tlsCertsDir, 'ca.crt'));
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const process = new ManagedProcess({
      service: `function ${fn.name}`,
      command: fn.binary,
      args: fn.args({ address, tlsCertsDir }),
      env: { ...globalThis.process.env, TLS_SERVER_CERTS_DIR: tlsCertsDir },
      logFile: join(dir, `${fn.name}.log`),
    });
    await waitUntilReady({
      process,
      probe: () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        }),
      timeoutMs: 30_000,
    });
    // gRPC's dns resolver takes an IP literal as it is; the certificate names 127.0.0.1.
    return {
      revision,
      endpoint: `dns:///${address}`,
      tls: {
        'tls.crt': readFileSync(issued.cert, 'utf8'),
        'tls.key': readFileSync(issued.key, 'utf8'),
        'ca.crt': readFileSync(this.rootCa.cert, 'utf8'),
      },
      process,
    };
  }
}
