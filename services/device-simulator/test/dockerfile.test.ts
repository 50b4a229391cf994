import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * No container daemon here, so the Dockerfile is checked statically (an emulated build of its
 * stages was run by hand, see README): what it copies exists with the repository root as the
 * context, the base is pinned, it installs with npm ci for this workspace, it copies the build of
 * exactly the workspace libraries the service depends on, and it runs as a non-root user.
 */
const service = 'device-simulator';
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
    return { keyword: keyword.toUpperCase(), args, line };
  });
type Instruction = (typeof instructions)[number];
const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const finalStage = stages.at(-1) ?? [];

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
}
const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as PackageJson;

/** The folders of the `@realtime-platform/*` runtime dependencies, transitively. */
function workspaceClosure(): Set<string> {
  const folderOf = new Map<string, string>();
  for (const group of ['libs', 'services']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      if (existsSync(join(repoRoot, group, name, 'package.json')))
        folderOf.set(readPackage(`${group}/${name}`).name, `${group}/${name}`);
    }
  }
  const closure = new Set<string>();
  const visit = (dir: string): void => {
    for (const dependency of Object.keys(readPackage(dir).dependencies ?? {})) {
      const folder = folderOf.get(dependency);
      if (folder === undefined || closure.has(folder)) continue;
      closure.add(folder);
      visit(folder);
    }
  };
  visit(`services/${service}`);
  return closure;
}

describe(`services/${service}/Dockerfile`, () => {
  it('should copy only paths that exist, with the repository root as the build context', () => {
    const sources = instructions
      .filter(({ keyword, args }) => keyword === 'COPY' && !args[0]?.startsWith('--from='))
      .flatMap(({ args }) => args.slice(0, -1));
    expect(sources.length).toBeGreaterThan(10);
    const missing = sources.filter((source) => !existsSync(join(repoRoot, source)));
    expect(missing).toEqual([]);
  });

  it('should build every stage on a pinned node 20 bookworm-slim image', () => {
    expect(stages.length).toBe(2);
    for (const stage of stages) {
      expect(stage[0]?.args[0]).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    }
  });

  it('should run `node dist/main.js` of this service as a non-root user', () => {
    const users = finalStage.filter(({ keyword }) => keyword === 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]?.args[0]).toMatch(/^[1-9][0-9]*(:[1-9][0-9]*)?$/);
    const workdirs = finalStage.filter(({ keyword }) => keyword === 'WORKDIR');
    expect(workdirs.at(-1)?.args[0]).toBe(`/app/services/${service}`);
    const cmd = finalStage.find(({ keyword }) => keyword === 'CMD');
    expect(JSON.parse(cmd?.line.slice('CMD'.length).trim() ?? 'null')).toEqual([
      'node',
      'dist/main.js',
    ]);
    // The built entry the CMD names (nx runs this test after the build).
    expect(existsSync(join(serviceDir, 'dist/main.js'))).toBe(true);
  });

  it('should install with npm ci for this workspace only, production dependencies in the image', () => {
    const installs = instructions
      .filter(({ keyword, line }) => keyword === 'RUN' && line.includes('npm ci'))
      .map(({ line }) => line);
    expect(installs).toEqual([
      expect.stringMatching(new RegExp(`-w @realtime-platform/${service}$`)),
      expect.stringMatching(new RegExp(`--omit=dev .*-w @realtime-platform/${service}\\b`)),
    ]);
  });

  it('should put the build of exactly the workspace libraries it depends on into the image', () => {
    const copied = finalStage
      .filter(({ keyword, args }) => keyword === 'COPY' && args[0] === '--from=build')
      .map(({ args }) => (args[1] ?? '').replace(/^\/repo\//, '').replace(/\/dist$/, ''));
    expect(new Set(copied)).toEqual(new Set([...workspaceClosure(), `services/${service}`]));
  });

  it('should keep node_modules and dist of the host out of the build context', () => {
    const ignore = readFileSync(join(serviceDir, 'Dockerfile.dockerignore'), 'utf8');
    expect(ignore).toMatch(/^\*\*\/node_modules$/m);
    expect(ignore).toMatch(/^\*\*\/dist$/m);
  });
});
