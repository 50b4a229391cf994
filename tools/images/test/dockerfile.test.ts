import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { baseImage, imageCatalog, repoRoot } from './support/image-catalog.js';

/**
 * What services/Dockerfile promises on its face; service-images.test.ts proves it on the built
 * images (their filesystem, user, and a run).
 */
const dockerfile = readFileSync(join(repoRoot, imageCatalog.dockerfile), 'utf8');

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
const globalArgs = new Map(
  instructions
    .slice(
      0,
      instructions.findIndex(({ keyword }) => keyword === 'FROM'),
    )
    .filter(({ keyword }) => keyword === 'ARG')
    .map(({ args }) => (args[0] ?? '').split('=') as [string, string]),
);
const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const finalStage = stages.at(-1) ?? [];
const stageName = (stage: Instruction[]): string | undefined =>
  stage[0]?.args[1]?.toUpperCase() === 'AS' ? stage[0]?.args[2] : undefined;
const fromOf = (stage: Instruction[]): string =>
  (stage[0]?.args[0] ?? '').replace(
    /^\$\{(\w+)\}$/,
    (_, name: string) => globalArgs.get(name) ?? '',
  );

describe('services/Dockerfile', () => {
  it('should copy only paths that exist, with the repository root as the build context', () => {
    const sources = instructions
      .filter(({ keyword, args }) => keyword === 'COPY' && !args[0]?.startsWith('--from='))
      .flatMap(({ args }) => args.slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    const missing = sources.filter((source) => !existsSync(join(repoRoot, source)));
    expect(missing).toEqual([]);
  });

  it('should build every stage on the pinned node 24 bookworm-slim image toolchain.json builds locally', () => {
    const external = stages
      .map(fromOf)
      .filter((from) => !stages.some((stage) => stageName(stage) === from));
    expect(external.length).toBeGreaterThan(1);
    for (const from of external) {
      expect(from).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
      // The short name resolves to Docker Hub's library image, the name the local stand-in has.
      expect(`docker.io/library/${from}`).toBe(baseImage);
    }
  });

  it('should compile once in one shared build stage that every service image is deployed from', () => {
    const npmCi = instructions.filter(({ line }) => /\bnpm ci\b/.test(line));
    expect(npmCi).toHaveLength(1);
    expect(npmCi[0]?.line).toMatch(/ -w services\b/);
    const build = stages.find((stage) => stageName(stage) === 'build') ?? [];
    expect(build.some(({ line }) => line.includes('npx tsc -p'))).toBe(true);
    const deploy = stages.find((stage) => stageName(stage) === 'deploy') ?? [];
    expect(fromOf(deploy)).toBe('build');
    expect(
      deploy.some(({ line }) => line.includes('deploy-tree.mjs /repo "services/${SERVICE}"')),
    ).toBe(true);
    expect(
      finalStage.filter(({ keyword, args }) => keyword === 'COPY' && args[0] === '--from=deploy'),
    ).toHaveLength(1);
  });

  it('should run `node dist/main.js` of the chosen service as a numeric non-root user', () => {
    const users = finalStage.filter(({ keyword }) => keyword === 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]?.args[0]).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
    const workdirs = finalStage.filter(({ keyword }) => keyword === 'WORKDIR');
    expect(workdirs.at(-1)?.args[0]).toBe('/app/services/${SERVICE}');
    const cmd = finalStage.find(({ keyword }) => keyword === 'CMD');
    expect(JSON.parse(cmd?.line.slice('CMD'.length).trim() ?? 'null')).toEqual([
      'node',
      '--enable-source-maps',
      'dist/main.js',
    ]);
  });

  it('should declare /tmp as its only volume, for a read-only root filesystem', () => {
    const volumes = finalStage.filter(({ keyword }) => keyword === 'VOLUME');
    expect(volumes.map(({ line }) => JSON.parse(line.slice('VOLUME'.length)))).toEqual([['/tmp']]);
  });

  it('should keep node_modules and dist of the host out of the build context', () => {
    const ignore = readFileSync(join(repoRoot, 'services/Dockerfile.dockerignore'), 'utf8');
    expect(ignore).toMatch(/^\*\*\/node_modules$/m);
    expect(ignore).toMatch(/^\*\*\/dist$/m);
  });
});
