import { readFileSync } from 'node:fs';
import { processStats } from './process.stats.js';

const clockTicks = 100; // USER_HZ on Linux

/** CPU seconds the whole machine spent busy (all cores, every state but idle and iowait). */
export function machineBusySeconds(procStat = readFileSync('/proc/stat', 'utf8')): number {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no aggregate "cpu" line');
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    clockTicks
  );
}

/** The processes of one path, by name, and the pids to read them from. */
export type PathProcesses = Readonly<Record<string, number | undefined>>;

/** CPU seconds of each process and of the machine at one instant. */
export interface CpuSample {
  readonly at: number;
  readonly machine: number;
  readonly processes: Readonly<Record<string, number>>;
}

export function sampleCpu(processes: PathProcesses): CpuSample {
  const seconds: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) {
    if (pid === undefined) continue;
    try {
      seconds[name] = processStats(pid).cpuSeconds;
    } catch {
      // Gone (it died): left out of the budget, the caller reports the service as not running.
    }
  }
  return { at: performance.now(), machine: machineBusySeconds(), processes: seconds };
}

/**
 * Where the CPU of one path went. `carried` is what each process carried in the window (readings
 * or messages): a number for all, or per process — under overload the front of a path carries more
 * than its end (the backlog grows between them), and a process's cost per unit is its CPU over what
 * it carried, not over what reached the end.
 */
export interface CpuBudget {
  /** CPU seconds per 100k units it carried, per process, largest first. */
  readonly perProcess: readonly { readonly name: string; readonly perHundredK: number }[];
  /** The sum over the path's processes. */
  readonly totalPerHundredK: number;
  /** The machine's busy share of all its cores over the window (0–1): near 1 means CPU-bound. */
  readonly machineBusy: number;
  /**
   * What the path could carry if it had every core to itself at this CPU cost per unit
   * (`cores × 100k / total`): the rate CPU alone allows on this machine.
   */
  readonly cpuCeilingPerSecond: number;
}

export function cpuBudget(
  before: CpuSample,
  after: CpuSample,
  carried: number | ((process: string) => number),
  cores: number,
): CpuBudget {
  const unitsOf = typeof carried === 'number' ? () => carried : carried;
  const perProcess = Object.entries(after.processes)
    .filter(([name]) => before.processes[name] !== undefined)
    .map(([name, seconds]) => ({
      name,
      perHundredK: ((seconds - (before.processes[name] as number)) * 100_000) / unitsOf(name),
    }))
    .sort((a, b) => b.perHundredK - a.perHundredK);
  const totalPerHundredK = perProcess.reduce((sum, entry) => sum + entry.perHundredK, 0);
  const wallSeconds = (after.at - before.at) / 1000;
  return {
    perProcess,
    totalPerHundredK,
    machineBusy: (after.machine - before.machine) / (wallSeconds * cores),
    cpuCeilingPerSecond: (cores * 100_000) / totalPerHundredK,
  };
}
