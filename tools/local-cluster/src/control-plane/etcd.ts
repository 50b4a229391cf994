import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool } from '@realtime-platform/toolchain';

/** etcd v3.6 (go-tools.json clusterTools.etcd), one member on loopback, data in the run dir. */
export class Etcd {
  private constructor(
    readonly clientUrl: string,
    private readonly process: ManagedProcess,
  ) {}

  static async start(runDir: string): Promise<Etcd> {
    const binary = GoTool.locate('etcd').binary;
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const clientUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const dataDir = join(runDir, 'etcd');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const process = new ManagedProcess({
      service: 'etcd',
      command: binary,
      args: [
        '--name=local',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=local=${peerUrl}`,
        '--initial-cluster-state=new',
        // A throwaway store: no fsync per write (the control plane writes a lot while it settles).
        '--unsafe-no-fsync',
        '--log-level=warn',
        '--quota-backend-bytes=2147483648',
      ],
      logFile: join(runDir, 'etcd.log'),
    });
    await waitUntilReady({
      process,
      // etcd's own health endpoint: true once the member serves reads and writes.
      probe: async () => {
        const response = await fetch(`${clientUrl}/health`);
        return response.ok && ((await response.json()) as { health?: string }).health === 'true';
      },
      timeoutMs: 30_000,
    });
    return new Etcd(clientUrl, process);
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
