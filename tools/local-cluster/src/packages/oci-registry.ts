import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool } from '@realtime-platform/toolchain';
import { stringify } from 'yaml';

/**
 * The CNCF distribution registry on loopback, storage in the run dir, no auth: Crossplane's
 * package manager pulls packages from it (go-containerregistry speaks plain HTTP to 127.0.0.1).
 */
export class OciRegistry {
  private constructor(
    /** host:port, the registry part of a package reference. */
    readonly host: string,
    private readonly process: ManagedProcess,
  ) {}

  static async start(runDir: string): Promise<OciRegistry> {
    const binary = GoTool.locate('registry').binary;
    const dir = join(runDir, 'oci-registry');
    mkdirSync(join(dir, 'storage'), { recursive: true });
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      stringify({
        version: 0.1,
        log: { level: 'warn', accesslog: { disabled: true } },
        storage: { filesystem: { rootdirectory: join(dir, 'storage') }, delete: { enabled: true } },
        http: { addr: host, secret: randomBytes(16).toString('hex') },
      }),
    );
    const process = new ManagedProcess({
      service: 'oci-registry',
      command: binary,
      args: ['serve', config],
      // distribution v3 exports traces over OTLP by default; nothing collects them here.
      env: { ...globalThis.process.env, OTEL_TRACES_EXPORTER: 'none' },
      logFile: join(dir, 'registry.log'),
    });
    await waitUntilReady({
      process,
      // The OCI distribution API's base endpoint: 200 once the registry serves.
      probe: async () => (await fetch(`http://${host}/v2/`)).status === 200,
      timeoutMs: 30_000,
    });
    return new OciRegistry(host, process);
  }

  get logFile(): string {
    return this.process.logFile;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The tags of a repository the registry holds (OCI distribution API). */
  async tags(repository: string): Promise<string[]> {
    const response = await fetch(`http://${this.host}/v2/${repository}/tags/list`);
    if (!response.ok) return [];
    return ((await response.json()) as { tags?: string[] }).tags ?? [];
  }

  async stop(): Promise<void> {
    await this.process.stop(5_000);
  }
}
