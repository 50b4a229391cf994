import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { MemoryCgroup } from '@realtime-platform/local-infra';
import { serviceNodeOptions, type PlatformServiceName } from '@realtime-platform/local-platform';
import { deployedMemoryLimitsMiB, quantityMiB } from '../src/pod-memory-limits.js';

describe('the memory limits the bench runs the services under', () => {
  it('are the deployed defaults: the chart for the bridge and the processor, the addon for realtime-service', () => {
    expect(deployedMemoryLimitsMiB()).toEqual({
      'mqtt-bridge': 512,
      'stream-processor': 512,
      'realtime-service': 256,
    });
  });

  it('reads Kubernetes quantities in Mi and Gi, and refuses what it cannot read', () => {
    expect(quantityMiB('256Mi')).toBe(256);
    expect(quantityMiB('2Gi')).toBe(2048);
    expect(() => quantityMiB('512M')).toThrow(/512M/);
  });
});

// Creating a memory cgroup needs root (CI runs as root); elsewhere this is skipped, not faked.
const withCgroups = MemoryCgroup.available() && process.getuid?.() === 0 ? describe : describe.skip;

withCgroups('the V8 flags each image sets (images.json), in its deployed memory limit', () => {
  /** What Node makes of NODE_OPTIONS inside a memory cgroup of `limitMiB`: its heap cap, MiB. */
  function heapLimitMiB(nodeOptions: string, limitMiB: number): number {
    const cgroup = MemoryCgroup.create('heap-probe', limitMiB);
    try {
      const { command, args } = cgroup.wrap(process.execPath, [
        '-e',
        'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit / 1048576))',
      ]);
      return Number(
        execFileSync(command, args, { env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions } }),
      );
    } finally {
      cgroup.remove();
    }
  }

  it('without the flags, Node takes more heap than a 256 MiB pod holds (half the limit, but never below ~259 MiB)', () => {
    expect(heapLimitMiB('', 256)).toBeGreaterThan(256);
  });

  it.each(Object.entries(deployedMemoryLimitsMiB()))(
    '%s: the heap stays at least 64 MiB below its %d MiB limit (the rest is code, sockets, buffers)',
    (service, limitMiB) => {
      const heap = heapLimitMiB(serviceNodeOptions(service as PlatformServiceName), limitMiB);
      expect(heap).toBeLessThanOrEqual(limitMiB - 64);
    },
  );
});
