import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toolchainManifest } from '@realtime-platform/toolchain';

export const repoRoot = resolve(import.meta.dirname, '../../../..');
export const imagesDir = join(repoRoot, 'tools/images');
const buildImagesScript = join(imagesDir, 'scripts/build-images.sh');

export interface ImageCatalog {
  readonly registry: string;
  readonly namespace: string;
  readonly dockerfile: string;
  /** V8 flags every service image sets (the heap cap), before the service's own. */
  readonly nodeOptions?: string;
  readonly services: Readonly<
    Record<
      string,
      { readonly nodeOptions?: string; readonly buildArgs?: Readonly<Record<string, string>> }
    >
  >;
}

export const imageCatalog = JSON.parse(
  readFileSync(join(imagesDir, 'images.json'), 'utf8'),
) as ImageCatalog;

export const catalogServices = Object.keys(imageCatalog.services);

/** The name build-images.sh tags a service's image with (asked from the script itself). */
export const imageName = (service: string): string =>
  execFileSync('bash', [buildImagesScript, '--print-name', service], { encoding: 'utf8' }).trim();

/** The build arguments build-images.sh passes for a service (asked from the script itself). */
export const imageBuildArgs = (service: string): Record<string, string> =>
  Object.fromEntries(
    execFileSync('bash', [buildImagesScript, '--print-build-args', service], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const assignment = line.slice('--build-arg='.length);
        return [
          assignment.slice(0, assignment.indexOf('=')),
          assignment.slice(assignment.indexOf('=') + 1),
        ];
      }),
  );

/** The base image services/Dockerfile names, as toolchain.json pins it. */
export const baseImage = (toolchainManifest as unknown as { nodeBaseImage: { name: string } })
  .nodeBaseImage.name;

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as PackageJson;
