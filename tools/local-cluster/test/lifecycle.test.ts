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
