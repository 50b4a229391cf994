import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The Dockerfile cannot be built here (no container daemon), so its promises are checked
 * statically: what it copies exists in the repository, the base image is pinned, it runs as a
 * non-root user, and it copies exactly the workspace libraries the service depends on.
 */
const serviceDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(serviceDir, '../..');
const dockerfile = readFileSync(join(serviceDir, 'Dockerfile'), 'utf8');

/** Instructions with their arguments, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [keyword = '', ...args] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args };
  });

const stages = (() => {
  const result: (typeof instructions)[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') result.push([]);
    result[result.length - 1]?.push(instruction);
  }
  return result;
})();

type PackageJson = { name: string; main?: string; dependencies?: Record<string, string> };
const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

/** `@realtime-platform/*` runtime dependencies, transitively: name → folder. */
function workspaceClosure(): Map<string, string> {
  const folders = new Map<string, string>();
  for (const group of ['libs', 'services']) {
    for (const name of [
      'errors',
      'platform-contract',
      'health-domain',
      'realtime-sdk',
      'local-infra',
    ]) {
      const dir = join(repoRoot, group, name);
      if (existsSync(join(dir, 'package.json')))
        folders.set(readPackage(dir).name, `${group}/${name}`);
    }
  }
  const closure = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const dependency of Object.keys(readPackage(join(repoRoot, dir)).dependencies ?? {})) {
      const folder = folders.get(dependency);
      if (folder === undefined || closure.has(dependency)) continue;
      closure.set(dependency, folder);
      visit(folder);
    }
  };
  visit('services/stream-processor');
  return closure;
}

describe('services/stream-processor/Dockerfile', () => {
  it('should copy only files that exist, from the repository root as context', () => {
    const sources = instructions
      .filter(
        ({ keyword, args }) => keyword === 'COPY' && !args.some((a) => a.startsWith('--from')),
      )
      .flatMap(({ args }) => args.slice(0, -1));
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources)
      expect([source, existsSync(join(repoRoot, source))]).toEqual([source, true]);
  });

  it('should build on a pinned node 20 bookworm-slim image in every stage', () => {
    expect(stages.length).toBe(2);
    for (const stage of stages) {
      expect(stage[0]?.args[0]).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    }
  });

  it('should run the built main as a non-root user', () => {
    const final = stages[stages.length - 1] ?? [];
    const users = final.filter(({ keyword }) => keyword === 'USER').map(({ args }) => args[0]);
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const cmd = final.find(({ keyword }) => keyword === 'CMD');
    const main = readPackage(serviceDir).main?.replace(/^\.\//, '');
    expect(cmd?.args.join(' ')).toContain(`services/stream-processor/${main}`);
  });

  it('should install with npm ci for this workspace and copy exactly the libraries it depends on', () => {
    const runs = instructions
      .filter(({ keyword }) => keyword === 'RUN')
      .map(({ args }) => args.join(' '));
    expect(runs.filter((run) => run.includes('npm ci'))).toEqual([
      expect.stringContaining('-w @realtime-platform/stream-processor'),
      expect.stringMatching(/--omit=dev .*-w @realtime-platform\/stream-processor/),
    ]);
    const copiedDists = stages[1]
      ?.filter(({ keyword, args }) => keyword === 'COPY' && args[0] === '--from=build')
      .map(({ args }) => (args[1] ?? '').replace(/^\/repo\//, '').replace(/\/dist$/, ''));
    expect(new Set(copiedDists)).toEqual(
      new Set([...workspaceClosure().values(), 'services/stream-processor']),
    );
  });
});
