import { readFileSync } from 'node:fs';

/** Resident memory and CPU time of a process, from /proc (Linux). */
export interface ProcessStats {
  readonly rssMiB: number;
  /** User + system CPU seconds since the process started. */
  readonly cpuSeconds: number;
}

const clockTicks = 100; // USER_HZ on Linux

export function processStats(pid: number): ProcessStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  // Fields after the command name (which may hold spaces, so split after the last ')').
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { rssMiB: rssKiB / 1024, cpuSeconds: (utime + stime) / clockTicks };
}
