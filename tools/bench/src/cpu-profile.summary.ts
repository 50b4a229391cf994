import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 `.cpuprofile` (`--cpu-prof`) the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface CpuShare {
  /** A function (`name file:line`) or an area (a package, Node core module, V8's own work). */
  readonly name: string;
  readonly ms: number;
  /** Share of the busy time (idle left out). */
  readonly percent: number;
}

export interface CpuProfileSummary {
  /** Sampled time the process was not idle. */
  readonly busyMs: number;
  readonly idleMs: number;
  /** Self time by area, most first. */
  readonly areas: readonly CpuShare[];
  /** Self time by function, most first (the top `limit`). */
  readonly functions: readonly CpuShare[];
}

/** V8's pseudo-frames: work that is not a JS function of the program. */
const v8Frames: Readonly<Record<string, string>> = {
  '(garbage collector)': 'V8 garbage collector',
  '(program)': 'V8 / native (program)',
  '(idle)': 'idle',
  '(root)': 'V8 / native (program)',
};

/**
 * Where a frame's code lives: the npm package (`@platformatic/kafka`), the Node core module
 * (`node:internal/streams`), the workspace package (`libs/realtime-sdk`), or V8's own work.
 */
export function cpuArea(functionName: string, url: string, repoRoot: string): string {
  if (url === '') return v8Frames[functionName] ?? 'V8 / native (program)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inPackage = underNodeModules(path);
  if (inPackage !== undefined) {
    const [scope = '', name = ''] = inPackage.split(sep);
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const inRepo = relative(repoRoot, path);
  if (!inRepo.startsWith('..')) return inRepo.split(sep).slice(0, 2).join('/');
  return path;
}

/**
 * Self time per area and per function of one profile: each sample's time (the delta to the next
 * sample) goes to the frame on top of the stack.
 */
export function summarizeCpuProfile(
  profile: CpuProfile,
  repoRoot: string,
  limit = 15,
): CpuProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    const frame = frames.get(profile.samples[index] as number);
    if (frame === undefined) continue;
    const us = profile.timeDeltas[index + 1] ?? 0;
    const area = cpuArea(frame.functionName, frame.url, repoRoot);
    if (area === 'idle') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    const where =
      frame.url === ''
        ? ''
        : ` ${relativeFile(frame.url, repoRoot)}:${String(frame.lineNumber + 1)}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const shares = (totals: Map<string, number>): CpuShare[] =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        percent: busyUs === 0 ? 0 : Math.round((us / busyUs) * 1000) / 10,
      }));
  return {
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    areas: shares(byArea),
    functions: shares(byFunction).slice(0, limit),
  };
}

/** The path below the innermost node_modules (`@scope/name/lib/x.js`), if the file is in one. */
function underNodeModules(path: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = path.lastIndexOf(marker);
  return at < 0 ? undefined : path.slice(at + marker.length);
}

function relativeFile(url: string, repoRoot: string): string {
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inPackage = underNodeModules(path);
  if (inPackage !== undefined) return inPackage;
  const inRepo = relative(repoRoot, path);
  return inRepo.startsWith('..') ? path : inRepo;
}

/** The summaries of every `.cpuprofile` in `dir` (one per process that ran with --cpu-prof). */
export function summarizeCpuProfiles(dir: string, repoRoot: string): CpuProfileSummary[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .sort()
    .map((file) =>
      summarizeCpuProfile(
        JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile,
        repoRoot,
      ),
    );
}

/** The summary as the bench prints it: areas above 1 %, then the top functions. */
export function formatCpuProfileSummary(label: string, summary: CpuProfileSummary): string[] {
  const lines = [
    `${label}: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s (self time, sampled)`,
  ];
  for (const area of summary.areas.filter((share) => share.percent >= 1)) {
    lines.push(`  ${area.percent.toFixed(1).padStart(5)} %  ${area.name}`);
  }
  lines.push('  top functions:');
  for (const fn of summary.functions) {
    lines.push(`  ${fn.percent.toFixed(1).padStart(5)} %  ${fn.name}`);
  }
  return lines;
}
