import { join } from 'node:path';
import { freePort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { MemoryCgroup, type MemoryCgroupStats } from './memory-cgroup.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface ServiceProcessOptions {
  /** Short name for logs and errors, e.g. "mqtt-bridge". */
  readonly name: string;
  /** RTP_HTTP_PORT; a free loopback port when omitted. */
  readonly httpPort?: number;
  /** Wait for `/health/ready` (default) or only `/health/live` after start and restart. */
  readonly waitFor?: 'ready' | 'live' | 'none';
  readonly startTimeoutMs?: number;
  /**
   * Run it under a hard memory limit, as a pod's `resources.limits.memory` would (a memory
   * cgroup: needs root). The process sees the limit as a container does; `memoryStats()` tells
   * its peak and whether the kernel OOM-killed it.
   */
  readonly memoryLimitMiB?: number;
}

/** How to start the service's process: the command and its whole environment. */
export interface ServiceLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * A platform service (one of `services/*`) run the way a pod runs it: configuration only from
 * the environment, health on RTP_HTTP_PORT. Subclasses say how it is launched (a Node process,
 * a container of its image). kill('SIGKILL') and restart() keep the port and the log, so
 * crash-recovery tests read like the incident they model.
 */
export abstract class ServiceProcess {
  readonly runDir: string;
  readonly httpPort: number;
  private current: ManagedProcess | undefined;
  private cgroup: MemoryCgroup | undefined;

  protected constructor(
    protected readonly options: ServiceProcessOptions,
    httpPort: number,
  ) {
    this.httpPort = httpPort;
    this.runDir = makeRunDir(options.name);
  }

  protected static async choosePort(options: ServiceProcessOptions): Promise<number> {
    return options.httpPort ?? (await freePort());
  }

  /** Spawns the service and waits until it is up; on failure everything is stopped again. */
  protected async begin(): Promise<void> {
    try {
      this.current = this.spawn();
      await this.waitUntilUp();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get logFile(): string {
    return join(this.runDir, `${this.options.name}.log`);
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  get running(): boolean {
    return this.current?.running ?? false;
  }

  /** The peak memory and OOM kills of its memory cgroup; undefined without `memoryLimitMiB`. */
  memoryStats(): MemoryCgroupStats | undefined {
    return this.cgroup?.stats();
  }

  /** Resolves when the process has exited, with its exit code or signal. */
  get exited(): ManagedProcess['exited'] {
    return this.process.exited;
  }

  /** Simulates a crash: the signal goes to the whole process group, nothing drains. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.process.kill(signal);
  }

  /** Starts the same service again on the same port, appending to the same log. */
  async restart(): Promise<void> {
    if (this.process.running) await this.process.stop();
    this.current = this.spawn();
    await this.waitUntilUp();
  }

  /** SIGTERM (the service drains), SIGKILL after the grace period; then releases what it held. */
  async stop(graceMs = 15_000): Promise<void> {
    try {
      if (this.current !== undefined) await this.current.stop(graceMs);
    } finally {
      try {
        await this.release();
      } finally {
        this.cgroup?.remove();
        this.cgroup = undefined;
      }
    }
  }

  /** The command, arguments and environment that start the service. */
  protected abstract launch(): ServiceLaunch;

  /** Frees what the service holds besides its process (a container); called by stop(). */
  protected async release(): Promise<void> {}

  private get process(): ManagedProcess {
    if (this.current === undefined) throw new Error(`${this.options.name} was never started`);
    return this.current;
  }

  private spawn(): ManagedProcess {
    const launch = this.launch();
    const { memoryLimitMiB } = this.options;
    if (memoryLimitMiB !== undefined && this.cgroup === undefined)
      this.cgroup = MemoryCgroup.create(this.options.name, memoryLimitMiB);
    const { command, args } = this.cgroup?.wrap(launch.command, launch.args) ?? {
      command: launch.command,
      args: [...launch.args],
    };
    return new ManagedProcess({
      service: this.options.name,
      command,
      args,
      logFile: this.logFile,
      env: { ...launch.env },
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
