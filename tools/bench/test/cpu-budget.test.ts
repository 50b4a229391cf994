import { describe, expect, it } from '@jest/globals';
import { cpuBudget, machineBusySeconds, sampleCpu, type CpuSample } from '../src/cpu-budget.js';

describe('cpuBudget', () => {
  const before: CpuSample = { at: 0, machine: 100, processes: { bridge: 10, kafka: 50 } };
  const after: CpuSample = {
    at: 10_000,
    machine: 118,
    processes: { bridge: 13, kafka: 56, late: 5 },
  };

  it('gives each process its CPU seconds per 100k units over the window, largest first, and their sum', () => {
    const budget = cpuBudget(before, after, 200_000, 2);
    expect(budget.perProcess).toEqual([
      { name: 'kafka', perHundredK: 3 },
      { name: 'bridge', perHundredK: 1.5 },
    ]);
    expect(budget.totalPerHundredK).toBe(4.5);
  });

  it('divides each process by what it carried when the front of the path carried more than its end', () => {
    const budget = cpuBudget(before, after, (name) => (name === 'bridge' ? 300_000 : 200_000), 2);
    expect(budget.perProcess).toEqual([
      { name: 'kafka', perHundredK: 3 },
      { name: 'bridge', perHundredK: 1 },
    ]);
  });

  it('answers the rate the cores allow at that cost (cores × 100k / total) and how busy the machine was', () => {
    const budget = cpuBudget(before, after, 200_000, 2);
    expect(budget.cpuCeilingPerSecond).toBeCloseTo(44_444.4, 0);
    expect(budget.machineBusy).toBeCloseTo(0.9, 5);
  });
});

describe('machineBusySeconds', () => {
  it('sums every busy state of the aggregate line, not idle or iowait', () => {
    const stat = 'cpu  100 20 30 5000 70 1 2 3 0 0\ncpu0 50 10 15 2500 35 0 1 1 0 0\n';
    expect(machineBusySeconds(stat)).toBe(1.56);
  });

  it('reads this machine and this process', () => {
    const sample = sampleCpu({ self: process.pid, gone: undefined });
    expect(sample.machine).toBeGreaterThan(0);
    expect(Object.keys(sample.processes)).toEqual(['self']);
  });
});
