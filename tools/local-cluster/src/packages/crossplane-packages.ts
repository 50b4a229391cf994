import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GoTool } from '@realtime-platform/toolchain';
import { localClusterErrors } from '../local-cluster-errors.js';
import type { KubeApi } from '../kube/kube-api.js';

/** A Crossplane package as users reference it, and where its built xpkg (or its sources) are. */
export interface MirroredPackage {
  /** The reference manifests use, e.g. xpkg.crossplane.io/crossplane-contrib/provider-helm:v1.3.0. */
  reference: string;
  /** A built package file (crossplane xpkg build output) ... */
  xpkgFile?: string;
  /** ... or a package root (crossplane.yaml and CRDs) built here with `crossplane xpkg build`. */
  packageRoot?: string;
}

/** `registry/path:tag` -> its parts; the registry is the part before the first slash. */
export function splitReference(reference: string): { registry: string; path: string; tag: string } {
  const match = /^([^/]+)\/(.+):([^:/]+)$/.exec(reference);
  if (!match) {
    throw localClusterErrors.COMMAND_FAILED({
      command: 'mirror package',
      exitCode: undefined,
      output: `not a fully qualified, tagged package reference: ${reference}`,
    });
  }
  return { registry: match[1] as string, path: match[2] as string, tag: match[3] as string };
}

async function crank(args: string[]): Promise<void> {
  const result = await GoTool.locate('crossplane').run(args);
  if (result.exitCode !== 0) {
    throw localClusterErrors.COMMAND_FAILED({
      command: `crossplane ${args.join(' ')}`,
      exitCode: result.exitCode,
      output: `${result.stderr}\n${result.stdout}`,
    });
  }
}

/** `crossplane xpkg build` of a package root (no runtime image: the harness runs the binary). */
export async function buildXpkg(packageRoot: string, output: string): Promise<string> {
  await crank([
    'xpkg',
    'build',
    `--package-root=${packageRoot}`,
    `--examples-root=${join(packageRoot, 'examples')}`,
    `--package-file=${output}`,
  ]);
  return output;
}

/**
 * Mirrors packages into the loopback registry under the same path and tag, and tells Crossplane
 * to pull them from there with ImageConfigs (spec.rewriteImage) - as an air-gapped cluster with a
 * private mirror does. The manifests (the addon's Functions and Provider) keep their references.
 */
export async function mirrorPackages(
  api: KubeApi,
  registryHost: string,
  workDir: string,
  packages: MirroredPackage[],
): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  const prefixes = new Map<string, string>();
  for (const pkg of packages) {
    const { registry, path, tag } = splitReference(pkg.reference);
    const file =
      pkg.xpkgFile ??
      (await buildXpkg(
        pkg.packageRoot as string,
        join(workDir, `${path.replaceAll('/', '_')}-${tag}.xpkg`),
      ));
    await crank(['xpkg', 'push', `--package-files=${file}`, `${registryHost}/${path}:${tag}`]);
    const owner = path.split('/')[0] as string;
    prefixes.set(`${registry}/${owner}`, `${registryHost}/${owner}`);
  }
  let i = 0;
  for (const [from, to] of prefixes) {
    await api.createIfMissing('/apis/pkg.crossplane.io/v1beta1/imageconfigs', {
      apiVersion: 'pkg.crossplane.io/v1beta1',
      kind: 'ImageConfig',
      metadata: { name: `local-mirror-${i}` },
      spec: { matchImages: [{ type: 'Prefix', prefix: from }], rewriteImage: { prefix: to } },
    });
    i += 1;
  }
}
