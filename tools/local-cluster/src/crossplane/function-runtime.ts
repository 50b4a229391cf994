import { copyFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import type { KubeApi, KubeList, KubeObject } from '../kube/kube-api.js';
import type { CertificateAuthority } from '../pki/openssl.js';

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
  process: ManagedProcess;
}

const parentPackageLabel = 'pkg.crossplane.io/package';

/**
 * The External package runtime for functions: for each active FunctionRevision of a known
 * Function it runs the function binary with mTLS (a serving certificate for 127.0.0.1 signed by
 * Crossplane's root CA, the CA that verifies Crossplane's client certificate - what Crossplane's
 * own Deployment runtime would give the pod) and writes the revision's status.endpoint, which
 * Crossplane dials (internal/xfn/function_runner.go).
 */
export class FunctionRuntime {
  private readonly running = new Map<string, RunningFunction>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly api: KubeApi,
    private readonly rootCa: CertificateAuthority,
    private readonly runDir: string,
    private readonly functions: ExternalFunction[],
  ) {
    this.loop = this.run();
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
    this.stopped = true;
    await this.loop;
    await Promise.all([...this.running.values()].map((f) => f.process.stop(5_000)));
    this.running.clear();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.reconcile();
      } catch {
        // API server busy or revisions not there yet: the next round retries.
      }
      await sleep(500);
    }
  }

  private async reconcile(): Promise<void> {
    const revisions = await this.api.get<KubeList>('/apis/pkg.crossplane.io/v1/functionrevisions');
    for (const revision of revisions?.items ?? []) {
      const fn = this.functions.find(
        (f) => f.name === revision.metadata.labels?.[parentPackageLabel],
      );
      if (!fn || (revision.spec as { desiredState?: string }).desiredState !== 'Active') continue;
      let running = this.running.get(fn.name);
      if (running && running.revision !== revision.metadata.name) {
        await running.process.stop(5_000);
        running = undefined;
      }
      if (!running || !running.process.running) {
        running = await this.startFunction(fn, revision.metadata.name);
        this.running.set(fn.name, running);
      }
      if ((revision.status as { endpoint?: string } | undefined)?.endpoint !== running.endpoint) {
        await this.api.mergePatch(
          `/apis/pkg.crossplane.io/v1/functionrevisions/${revision.metadata.name}/status`,
          { status: { endpoint: running.endpoint } },
        );
      }
    }
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
    return { revision, endpoint: `dns:///${address}`, process };
  }
}

export type { KubeObject };
