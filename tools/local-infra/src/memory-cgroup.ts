import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localInfraErrors } from './local-infra-errors.js';

/** What the kernel recorded for the processes of a memory cgroup. */
export interface MemoryCgroupStats {
  readonly limitMiB: number;
  /** Highest memory charged to the group (RSS plus page cache), MiB. */
  readonly peakMiB: number;
  /** Processes the kernel's OOM killer killed in the group (a pod's `OOMKilled`). */
  readonly oomKills: number;
}

type Hierarchy = { readonly version: 1 | 2; readonly root: string };

const cgroupRoot = '/sys/fs/cgroup';

/** cgroup v2 with the memory controller delegated to children, else v1's memory hierarchy. */
function hierarchy(): Hierarchy | undefined {
  const controllers = join(cgroupRoot, 'cgroup.subtree_control');
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('memory'))
    return { version: 2, root: cgroupRoot };
  const v1 = join(cgroupRoot, 'memory');
  if (existsSync(join(v1, 'memory.limit_in_bytes'))) return { version: 1, root: v1 };
  return undefined;
}

const mib = (bytes: number): number => bytes / (1024 * 1024);

/**
 * A memory cgroup with a hard limit, as a pod's `resources.limits.memory` gives its container:
 * a process placed in it is reclaimed and then OOM-killed at the limit, and Node (which reads
 * its cgroup) sizes its heap from the limit, not from the host's RAM. Needs permission to
 * create cgroups (root, or a delegated subtree).
 */
export class MemoryCgroup {
  private constructor(
    private readonly hierarchy: Hierarchy,
    readonly path: string,
    readonly limitMiB: number,
  ) {}

  static available(): boolean {
    return hierarchy() !== undefined;
  }

  static create(name: string, limitMiB: number): MemoryCgroup {
    const found = hierarchy();
    if (found === undefined)
      throw localInfraErrors.CGROUP_UNAVAILABLE({ reason: `no memory controller under ${cgroupRoot}` });
    const path = join(found.root, `rtp-${name}-${randomBytes(4).toString('hex')}`);
    const limit = String(Math.floor(limitMiB * 1024 * 1024));
    try {
      mkdirSync(path);
      if (found.version === 2) {
        writeFileSync(join(path, 'memory.max'), limit);
        // No swap: a container at its limit is OOM-killed rather than swapped, as on a node.
        if (existsSync(join(path, 'memory.swap.max'))) writeFileSync(join(path, 'memory.swap.max'), '0');
      } else {
        writeFileSync(join(path, 'memory.limit_in_bytes'), limit);
        writeFileSync(join(path, 'memory.swappiness'), '0');
      }
    } catch (error) {
      if (existsSync(path)) rmdirSync(path);
      throw localInfraErrors.CGROUP_UNAVAILABLE(
        { reason: `cannot create ${path}: ${(error as Error).message}` },
        { cause: error },
      );
    }
    return new MemoryCgroup(found, path, limitMiB);
  }

  /** The file a process writes its pid to in order to join the group. */
  get procsFile(): string {
    return join(this.path, 'cgroup.procs');
  }

  /**
   * `command args…` as a shell that joins the group, then execs the command (same pid): everything
   * the command starts is in the group from its first instruction.
   */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] } {
    return {
      command: '/bin/sh',
      args: ['-c', 'echo $$ > "$0" && exec "$@"', this.procsFile, command, ...args],
    };
  }

  stats(): MemoryCgroupStats {
    const read = (file: string): string => readFileSync(join(this.path, file), 'utf8');
    if (this.hierarchy.version === 2) {
      const events = read('memory.events');
      const peak = existsSync(join(this.path, 'memory.peak')) ? read('memory.peak') : read('memory.current');
      return {
        limitMiB: this.limitMiB,
        peakMiB: mib(Number(peak.trim())),
        oomKills: Number(/^oom_kill (\d+)$/m.exec(events)?.[1] ?? 0),
      };
    }
    return {
      limitMiB: this.limitMiB,
      peakMiB: mib(Number(read('memory.max_usage_in_bytes').trim())),
      oomKills: Number(/^oom_kill (\d+)$/m.exec(read('memory.oom_control'))?.[1] ?? 0),
    };
  }

  /** Removes the group; its processes must have exited (the kernel refuses otherwise). */
  remove(): void {
    if (existsSync(this.path)) rmdirSync(this.path);
  }
}
