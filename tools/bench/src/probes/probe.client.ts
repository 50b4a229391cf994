import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeMessage, ProbeResult } from './probe.protocol.js';

/** A running probe process, driven over IPC. */
export class ProbeProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  /** Forks `dist/probes/<script>` with `env` and waits until it is connected and subscribed. */
  static async start(
    name: string,
    script: 'ws-latency.probe.js' | 'mqtt-latency.probe.js',
    env: Record<string, string>,
    timeoutMs = 30_000,
  ): Promise<ProbeProcess> {
    // The built probe, from src/ (a test) as from dist/ (the bench).
    const child = fork(fileURLToPath(new URL(`../../dist/probes/${script}`, import.meta.url)), [], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const probe = new ProbeProcess(name, child);
    await probe.next('ready', timeoutMs);
    return probe;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private next(type: ProbeMessage['type'], timeoutMs: number): Promise<ProbeMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`probe ${this.name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: ProbeMessage): void => {
        if (message.type !== type) return;
        cleanup();
        resolve(message);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`probe ${this.name} exited (${code}) while waiting for "${type}"`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }

  start(): void {
    this.child.send({ type: 'start' });
  }

  async stop(): Promise<ProbeResult> {
    const result = this.next('result', 30_000);
    this.child.send({ type: 'stop' });
    return (await result) as ProbeResult;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
