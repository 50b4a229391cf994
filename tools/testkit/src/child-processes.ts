// What a test of a long-running command (`rtp dev`) watches: when its output says it is ready,
// and which processes of its run are still alive after it was told to stop.
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** A started child process (node's ChildProcess, execa's subprocess). */
export interface WatchedChild {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

/**
 * Resolves with everything the child printed on stdout once it matches `pattern`. Rejects, with
 * what it printed on both streams, when the child exits first or `timeoutMs` passes (that bound
 * only ends a failing wait; nothing asserts how long the child took).
 */
export function waitForOutput(
  child: WatchedChild,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the process exited (${code}) before ${pattern}:\n${seen}`));
    });
  });
}

/** Live processes (zombies excluded) for which `mentions(cmdline, pid)` holds: their command lines. */
function liveProcesses(mentions: (cmdline: string, pid: string) => boolean): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return state !== 'Z' && mentions(cmdline, pid) ? [cmdline] : [];
      } catch {
        // Gone meanwhile, or not ours to read.
        return [];
      }
    });
}

/** Command lines of the live processes whose command line mentions `needle` (a run directory). */
export const processesMentioning = (needle: string): string[] =>
  liveProcesses((cmdline) => cmdline.includes(needle));

/**
 * Command lines of the live processes whose command line or environment mentions `needle`: servers
 * name their run directory on the command line, services carry their settings in the environment.
 */
export const processesMentioningInCommandOrEnvironment = (needle: string): string[] =>
  liveProcesses((cmdline, pid) => {
    // Read even when the command line already matches: a process whose environment cannot be read
    // (gone meanwhile) is not counted.
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return cmdline.includes(needle) || environ.includes(needle);
  });
