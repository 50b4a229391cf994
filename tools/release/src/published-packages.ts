import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { releaseErrors } from './release.errors.js';

/** A workspace package that the release publishes to npm. */
export interface PublishedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute. */
  readonly directory: string;
  /** Relative to the workspace root, POSIX separators (what `npm pack -w` takes). */
  readonly workspace: string;
}

/** A packed package: what `npm publish` would upload. */
export interface PackedPackage extends PublishedPackage {
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
}

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  workspaces?: string[];
  exports?: Record<string, string | Record<string, string>>;
}

/** tools/release/{src,dist}/ → the workspace root. */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(
  /\/$/,
  '',
);

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every workspace folder (root `workspaces` globs `dir/*` or `dir`) with a package.json. */
export function workspaceDirectories(root: string = workspaceRoot): string[] {
  return (readManifest(root).workspaces ?? [])
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [join(root, pattern)];
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) return [];
      return readdirSync(parent, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(parent, entry.name));
    })
    .filter((dir) => existsSync(join(dir, 'package.json')));
}

/**
 * The packages a release publishes: every workspace package that is not `private`. changesets
 * publishes exactly these, so `private` is the one switch (tests pin the list).
 */
export function publishedPackages(root: string = workspaceRoot): PublishedPackage[] {
  return workspaceDirectories(root)
    .map((directory) => ({ directory, manifest: readManifest(directory) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ directory, manifest }) => ({
      name: manifest.name as string,
      version: manifest.version as string,
      directory,
      workspace: relative(root, directory).split('\\').join('/'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every file an `exports` condition points at (they must exist before packing). */
function exportTargets(manifest: Manifest): string[] {
  return Object.values(manifest.exports ?? {}).flatMap((entry) =>
    typeof entry === 'string' ? [entry] : Object.values(entry),
  );
}

/**
 * `npm pack` of every published package into `destination`: the tarballs `npm publish` would
 * upload. The packages must be built (their `exports` targets exist), or RTP_ERR_RELEASE_PACKAGE_NOT_BUILT.
 */
export async function packPublishedPackages(
  destination: string,
  root: string = workspaceRoot,
): Promise<PackedPackage[]> {
  const packages = publishedPackages(root);
  for (const pkg of packages) {
    const missing = exportTargets(readManifest(pkg.directory)).find(
      (target) => !existsSync(join(pkg.directory, target)),
    );
    if (missing !== undefined) throw releaseErrors.PACKAGE_NOT_BUILT({ name: pkg.name, missing });
  }
  mkdirSync(destination, { recursive: true });
  const result = await execa(
    'npm',
    [
      'pack',
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      resolve(destination),
      ...packages.flatMap((pkg) => ['-w', pkg.workspace]),
    ],
    { cwd: root, reject: false },
  );
  if (result.exitCode !== 0)
    throw releaseErrors.PACK_FAILED({ detail: String(result.stderr).trim().slice(-2000) });
  const packed = JSON.parse(String(result.stdout)) as { name: string; filename: string }[];
  return packages.map((pkg) => {
    const entry = packed.find((candidate) => candidate.name === pkg.name);
    if (entry === undefined)
      throw releaseErrors.PACK_FAILED({ detail: `npm pack reported no tarball for ${pkg.name}` });
    return { ...pkg, tarball: join(resolve(destination), entry.filename) };
  });
}
