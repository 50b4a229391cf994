import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goToolDir, goToolsManifest } from '@realtime-platform/toolchain';
import { manifestsToYaml, type KubeObject } from './kube-object.js';
import { goTool } from './render-tools.js';

export interface CrossplaneValidateResult {
  exitCode: number;
  output: string;
}

/**
 * `crossplane beta validate <extensions> <resources>`: the API server's own validation library
 * (OpenAPI schema, defaults, CEL x-kubernetes-validations), offline. Crossplane's built-in schemas
 * (Composition, Function, XRD, ...) would be downloaded as the crossplane image; they are placed in
 * the validate cache instead, from the CRDs of the same crossplane module the CLI was built from.
 */
export async function crossplaneValidate(
  extensions: readonly KubeObject[],
  resources: readonly KubeObject[],
): Promise<CrossplaneValidateResult> {
  const crossplane = goTool('crossplane');
  const image = `xpkg.crossplane.io/crossplane/crossplane:${goToolsManifest.tools.crossplane.version}`;
  const dir = mkdtempSync(join(tmpdir(), 'rtp-xp-validate-'));
  try {
    const cache = join(dir, 'cache');
    cpSync(
      join(goToolDir('crossplane'), 'module', 'cluster', 'crds'),
      join(cache, image.replace(':', '@')),
      {
        recursive: true,
      },
    );
    const write = (name: string, objects: readonly KubeObject[]): string => {
      const file = join(dir, name);
      writeFileSync(file, manifestsToYaml(objects));
      return file;
    };
    const result = await crossplane.run(
      [
        'beta',
        'validate',
        write('extensions.yaml', extensions),
        write('resources.yaml', resources),
        `--cache-dir=${cache}`,
        `--crossplane-image=${image}`,
        '--error-on-missing-schemas',
      ],
      { env: { HOME: dir } },
    );
    return { exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
