import { describe, expect, it } from '@jest/globals';
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
