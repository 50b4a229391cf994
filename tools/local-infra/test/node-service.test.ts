import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRunDir, MemoryCgroup, NodeService } from '../src/index.js';

const entry = join(import.meta.dirname, 'fixtures/node-service/health-server.mjs');

interface Health {
  pid: number;
  kafka: string;
}

const health = async (service: NodeService): Promise<Health> =>
  (await (await fetch(`${service.url}/health/ready`)).json()) as Health;

describe('NodeService', () => {
  it('runs a service with the given env and waits until /health/ready answers', async () => {
    const service = await NodeService.start({
      name: 'stand-in',
      entry,
      env: { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' },
    });
    try {
      const body = await health(service);
      expect(body).toEqual({
        pid: service.pid,
        kafka: '127.0.0.1:1',
        startedAt: expect.any(Number),
      });
    } finally {
      await service.stop();
    }
    expect(service.running).toBe(false);
  });

  it('survives kill -9 and restarts on the same port, appending to the same log', async () => {
    const service = await NodeService.start({ name: 'stand-in', entry, env: {} });
    try {
      const before = await health(service);
      await service.kill('SIGKILL');
      expect((await service.exited).signal).toBe('SIGKILL');
      await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();

      await service.restart();
      const after = await health(service);
      expect(after.pid).not.toBe(before.pid);
      expect(readFileSync(service.logFile, 'utf8').match(/^--- /gm)).toHaveLength(2);
    } finally {
      await service.stop();
    }
  });

  it('starts the entry with the given Node flags (a CPU profile written on stop)', async () => {
    const dir = makeRunDir('node-service-profile');
    const service = await NodeService.start({
      name: 'stand-in',
      entry,
      env: {},
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    });
    await service.stop();
    expect(readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'))).toHaveLength(1);
  });

  it('fails with the log tail when the entry point crashes at start', async () => {
    await expect(
      NodeService.start({
        name: 'broken',
        entry: join(import.meta.dirname, 'missing.mjs'),
        env: {},
      }),
    ).rejects.toMatchObject({ code: 'RTP_ERR_INFRA_EXITED' });
  });
});

interface MemoryView {
  constrainedMiB: number;
  heapLimitMiB: number;
}

// Creating a memory cgroup needs root (CI runs as root); elsewhere these are skipped, not faked.
const withCgroups = MemoryCgroup.available() && process.getuid?.() === 0 ? describe : describe.skip;

withCgroups('NodeService under a memory limit (a memory cgroup, as a pod limit)', () => {
  const memory = async (service: NodeService): Promise<MemoryView> =>
    (await (await fetch(`${service.url}/memory`)).json()) as MemoryView;

  it('shows the process the limit, and the kernel OOM-kills it past the limit', async () => {
    const service = await NodeService.start({
      name: 'limited',
      entry,
      env: {},
      memoryLimitMiB: 96,
    });
    try {
      expect((await memory(service)).constrainedMiB).toBe(96);
      await fetch(`${service.url}/hold?mib=160`).catch(() => undefined);
      expect((await service.exited).signal).toBe('SIGKILL');
      expect(service.memoryStats()).toMatchObject({ limitMiB: 96, oomKills: 1 });
    } finally {
      await service.stop();
    }
  });

  it('stays alive below the limit and reports its peak', async () => {
    const service = await NodeService.start({
      name: 'limited',
      entry,
      env: {},
      memoryLimitMiB: 128,
    });
    try {
      expect(await (await fetch(`${service.url}/hold?mib=32`)).text()).toBe('32');
      const stats = service.memoryStats();
      expect(stats?.oomKills).toBe(0);
      expect(stats?.peakMiB).toBeGreaterThan(32);
      expect(stats?.peakMiB).toBeLessThanOrEqual(128);
      expect(service.running).toBe(true);
    } finally {
      await service.stop();
    }
  });

  it('without a heap flag, Node sizes its heap to about the whole limit (the reason images set one)', async () => {
    const service = await NodeService.start({
      name: 'limited',
      entry,
      env: {},
      memoryLimitMiB: 256,
    });
    try {
      expect((await memory(service)).heapLimitMiB).toBeGreaterThan(256 * 0.9);
    } finally {
      await service.stop();
    }
  });
});
