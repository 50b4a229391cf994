import { join } from 'node:path';
import { freePort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface NodeServiceOptions {
  /** Short name for logs and errors, e.g. "mqtt-bridge". */
  readonly name: string;
  /** The service's built entry point, e.g. `services/mqtt-bridge/dist/main.js` (absolute). */
  readonly entry: string;
  /** The platform secrets (`localPlatformEnv`) plus the service's RTP_* variables. */
  readonly env: Readonly<Record<string, string>>;
  /** RTP_HTTP_PORT; a free loopback port when omitted. */
  readonly httpPort?: number;
  /** Wait for `/health/ready` (default) or only `/health/live` after start and restart. */
  readonly waitFor?: 'ready' | 'live' | 'none';
  readonly startTimeoutMs?: number;
}

/**
 * A platform service (one of `services/*`) run as its own Node process, the way a pod runs it:
 * configuration only from the environment, health on RTP_HTTP_PORT. kill('SIGKILL') and
 * restart() keep the port and the log, so crash-recovery tests read like the incident they model.
 */
export class NodeService {
  readonly runDir: string;
  private process: ManagedProcess;

  private constructor(
    private readonly options: NodeServiceOptions,
    readonly httpPort: number,
  ) {
    this.runDir = makeRunDir(options.name);
    this.process = this.spawn();
  }

  static async start(options: NodeServiceOptions): Promise<NodeService> {
    const service = new NodeService(options, options.httpPort ?? (await freePort()));
    try {
      await service.waitUntilUp();
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get logFile(): string {
    return join(this.runDir, `${this.options.name}.log`);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Resolves when the process has exited, with its exit code or signal. */
  get exited(): ManagedProcess['exited'] {
    return this.process.exited;
  }

  /** Simulates a crash: the signal goes to the whole process group, nothing drains. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.process.signal(signal);
    await this.process.exited;
  }

  /** Starts the same service again on the same port, appending to the same log. */
  async restart(): Promise<void> {
    if (this.process.running) await this.process.stop();
    this.process = this.spawn();
    await this.waitUntilUp();
  }

  /** SIGTERM (the service drains), SIGKILL after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.process.stop(graceMs);
  }

  private spawn(): ManagedProcess {
    return new ManagedProcess({
      service: this.options.name,
      command: process.execPath,
      args: ['--enable-source-maps', this.options.entry],
      logFile: this.logFile,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        RTP_LOG_LEVEL: 'info',
        RTP_HTTP_HOST: '127.0.0.1',
        ...this.options.env,
        RTP_HTTP_PORT: String(this.httpPort),
      },
    });
  }

  private async waitUntilUp(): Promise<void> {
    const waitFor = this.options.waitFor ?? 'ready';
    if (waitFor === 'none') return;
    await waitUntilReady({
      process: this.process,
      timeoutMs: this.options.startTimeoutMs ?? 60_000,
      probe: async () => (await fetch(`${this.url}/health/${waitFor}`)).ok,
    });
  }
}
