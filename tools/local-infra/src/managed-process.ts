import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, appendFileSync } from 'node:fs';
import { logTail } from './log-tail.js';
import { localInfraErrors } from './local-infra-errors.js';
import type { ProcessIdentity } from './service-user.js';

export interface ManagedProcessOptions {
  /** Human name used in errors and logs, e.g. "kafka". */
  service: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  runAs?: ProcessIdentity;
  /** Values (passwords on a command line) written as **** in the log's command header. */
  redact?: string[];
  /** The signal that asks this server for a quick, clean shutdown (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Every live child, so a crashing test runner still leaves no server behind. */
const liveProcesses = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveProcesses) child.killGroupSync('SIGKILL');
  });
}

/**
 * A long-running server started in its own process group, so stopping it also stops anything
 * it forked. Torn down by PID: SIGTERM, then SIGKILL after a grace period.
 */
export class ManagedProcess {
  readonly service: string;
  readonly logFile: string;
  readonly exited: Promise<ProcessExit>;
  private readonly stopSignal: NodeJS.Signals;
  private readonly child: ChildProcess;
  private exit: ProcessExit | undefined;

  constructor(options: ManagedProcessOptions) {
    this.service = options.service;
    this.logFile = options.logFile;
    this.stopSignal = options.stopSignal ?? 'SIGTERM';
    const shownArgs = options.args.map((arg) => (options.redact?.includes(arg) ? '****' : arg));
    appendFileSync(
      options.logFile,
      `\n--- ${new Date().toISOString()} ${options.command} ${shownArgs.join(' ')}\n`,
    );
    const fd = openSync(options.logFile, 'a');
    try {
      this.child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', fd, fd],
        detached: true,
        ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
      });
    } finally {
      closeSync(fd);
    }
    liveProcesses.add(this);
    installExitHook();
    this.exited = new Promise((resolve) => {
      const settle = (exit: ProcessExit): void => {
        this.exit ??= exit;
        liveProcesses.delete(this);
        resolve(this.exit);
      };
      this.child.once('exit', (exitCode, signal) => settle({ exitCode, signal }));
      this.child.once('error', (error) => {
        appendFileSync(options.logFile, `spawn failed: ${error.message}\n`);
        settle({ exitCode: null, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The error to throw when the process died unexpectedly. */
  exitedError(): Error {
    return localInfraErrors.EXITED({
      service: this.service,
      exitCode: this.exit?.exitCode ?? null,
      signal: this.exit?.signal ?? null,
      logFile: this.logFile,
      logTail: logTail(this.logFile),
    });
  }

  /** Send a signal to the whole process group (e.g. SIGKILL to simulate a crash). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.killGroupSync(signal);
  }

  /**
   * Sends `signal` to the group (SIGKILL, the default, simulates a crash; SIGTERM an orderly
   * shutdown) and resolves when the process is gone: what every server's kill() does.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> {
    this.signal(signal);
    return this.exited;
  }

  /** The stop signal, wait up to `graceMs`, then SIGKILL; resolves when the process is gone. */
  async stop(graceMs = 10_000): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    this.killGroupSync(this.stopSignal);
    const timer = setTimeout(() => this.killGroupSync('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** @internal Used by stop() and the exit hook. */
  killGroupSync(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone: nothing to stop.
    }
  }
}

/** Runs a setup command to completion, appending output to the log; throws with the output on failure. */
export async function runToCompletion(options: ManagedProcessOptions): Promise<void> {
  const child = new ManagedProcess(options);
  const exit = await child.exited;
  if (exit.exitCode !== 0) {
    throw localInfraErrors.SETUP_FAILED({
      step: `${options.service}: ${options.command} ${options.args
        .map((arg) => (options.redact?.includes(arg) ? '****' : arg))
        .join(' ')}`,
      output: logTail(options.logFile, 40),
    });
  }
}
