// waitForOutput and processesMentioning on real child processes (node -e): what `rtp dev`'s tests
// rely on to know the platform is up and that Ctrl-C left nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  processesMentioning,
  processesMentioningInCommandOrEnvironment,
  waitForOutput,
} from '../src/index.js';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

/** `node -e script`, its extra arguments on the command line, `env` added to its environment. */
function node(script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['-e', script, ...args], {
    env: { ...process.env, ...env },
  });
  children.push(child);
  return child;
}

const printThenWait = "console.log('ready on 4242'); setInterval(() => {}, 1000);";

describe('waitForOutput', () => {
  it('should resolve with what the child printed once it matches the pattern', async () => {
    const output = await waitForOutput(node(printThenWait), /ready on \d+\n/, 30_000);
    expect(output).toBe('ready on 4242\n');
  });

  it('should reject, with what the child printed on both streams, when it exits first', async () => {
    const child = node("console.log('starting'); console.error('no config'); process.exit(3);");
    await expect(waitForOutput(child, /ready/, 30_000)).rejects.toThrow(
      /exited \(3\) before \/ready\/:\n(?=[\s\S]*starting)(?=[\s\S]*no config)/,
    );
  });
});

describe('processesMentioning', () => {
  it('should list a live process by its command line, and no longer once it is gone', async () => {
    const needle = `/tmp/rtp-run-${randomUUID()}`;
    const child = node(printThenWait, [needle]);
    await waitForOutput(child, /ready/, 30_000);
    expect(processesMentioning(needle)).toEqual([expect.stringContaining(needle)]);
    child.kill('SIGTERM');
    await once(child, 'exit');
    expect(processesMentioning(needle)).toEqual([]);
  });

  it('should find a process by its environment only when asked to look there', async () => {
    const needle = `RTP_PLATFORM_NAME=run-${randomUUID()}\0`;
    const child = node(printThenWait, [], { RTP_PLATFORM_NAME: needle.slice(18, -1) });
    await waitForOutput(child, /ready/, 30_000);
    expect(processesMentioning(needle)).toEqual([]);
    expect(processesMentioningInCommandOrEnvironment(needle)).toHaveLength(1);
  });
});
