import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { LocalCluster } from '../src/index.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('LocalCluster.stop', () => {
  it('stops every process of the control plane and leaves the logs for reading', async () => {
    const cluster = await LocalCluster.start({});
    const pids = cluster.pids();
    expect(pids).toHaveLength(5);
    expect(pids.every(alive)).toBe(true);
    await cluster.stop();
    expect(pids.filter(alive)).toEqual([]);
    for (const file of cluster.logFiles()) expect(existsSync(file)).toBe(true);
  });
});

describe('a test runner killed by a signal', () => {
  it('takes the cluster with it (SIGTERM: every process group is killed)', async () => {
    const { execa } = await import('execa');
    const { fileURLToPath } = await import('node:url');
    const script = fileURLToPath(new URL('./fixtures/start-and-wait.mjs', import.meta.url));
    const child = execa(process.execPath, [script], { reject: false, buffer: false });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { pids: number[] }).pids);
      });
      child.then((result) => reject(new Error(`exited early: ${String(result.exitCode)}`)), reject);
    });
    expect(pids).toHaveLength(5);
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGTERM');
    await child;
    // SIGKILL is immediate, but the kernel reaps asynchronously.
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  });
});
