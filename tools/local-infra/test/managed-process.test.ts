import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localInfraErrors, makeRunDir, ManagedProcess, waitUntilReady } from '../src/index.js';

/** Running = has a /proc entry that is not a zombie (a killed orphan may wait to be reaped). */
const isRunning = (pid: number): boolean => {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
  return state !== 'Z' && state !== 'X';
};

describe('ManagedProcess', () => {
  it('escalates to SIGKILL when a process ignores SIGTERM, and kills its children too', async () => {
    const runDir = makeRunDir('test');
    const pidFile = join(runDir, 'child.pid');
    const server = new ManagedProcess({
      service: 'stubborn',
      command: 'bash',
      args: ['-c', `trap '' TERM; sleep 300 & echo $! > ${pidFile}; wait`],
      logFile: join(runDir, 'stubborn.log'),
    });
    await waitUntilReady({
      process: server,
      probe: async () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '',
    });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));

    const exit = await server.stop(300);

    expect(exit.signal).toBe('SIGKILL');
    // The group got SIGKILL together; give the kernel a moment to finish the orphan.
    const deadline = Date.now() + 2_000;
    while (isRunning(grandchild) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(isRunning(grandchild)).toBe(false);
  });

  it('fails readiness at once with the log tail when the server exits', async () => {
    const runDir = makeRunDir('test');
    const server = new ManagedProcess({
      service: 'crashing',
      command: 'bash',
      args: ['-c', 'echo "config error on line 3" >&2; exit 3'],
      logFile: join(runDir, 'crashing.log'),
    });
    const waiting = waitUntilReady({
      process: server,
      probe: async () => false,
      timeoutMs: 30_000,
    });
    await expect(waiting).rejects.toMatchObject({ code: localInfraErrors.EXITED.code });
    await expect(waiting).rejects.toThrow(/config error on line 3/);
  });

  it('fails readiness with a coded timeout error when the probe never succeeds', async () => {
    const runDir = makeRunDir('test');
    const server = new ManagedProcess({
      service: 'silent',
      command: 'sleep',
      args: ['30'],
      logFile: join(runDir, 'silent.log'),
    });
    try {
      await expect(
        waitUntilReady({ process: server, probe: async () => false, timeoutMs: 500 }),
      ).rejects.toMatchObject({
        code: localInfraErrors.NOT_READY.code,
      });
    } finally {
      await server.stop();
    }
  });
});
