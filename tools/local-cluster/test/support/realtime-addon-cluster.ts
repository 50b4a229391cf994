// The local cluster the addon tests run on: vela-core, Crossplane with this project's function
// and function-auto-ready (run by the harness, package runtime External), provider-helm (run as
// its pod's ServiceAccount), the packages mirrored into the loopback registry under the addon's
// own package references, and the charts (npx nx run charts:package) served on loopback.
import { existsSync, linkSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonDir, addonsRoot, composeFunction, functionPackages } from '@realtime-platform/addons';
import { execa } from 'execa';
import { GoTool, goToolModulePath, goToolsInstallScriptPath } from '@realtime-platform/toolchain';
import type { LocalClusterOptions } from '../../src/index.js';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** `npx nx run charts:package` writes it (the test target depends on it). */
export const chartRepositoryDir = join(repositoryRoot, 'charts', 'dist', 'helm-repository');

/** `npx nx run addons:xpkg` writes it (the test target depends on it). */
export const composeFunctionXpkg = join(
  addonsRoot,
  'dist',
  'xpkg',
  'function-compose-platform.xpkg',
);

/** The provider-helm package the addon installs by default (parameter.cue). */
export function addonProviderHelmPackage(): string {
  const parameter = readFileSync(join(addonDir, 'parameter.cue'), 'utf8');
  const match = /package: \*"([^"]*provider-helm[^"]*)"/.exec(parameter);
  if (!match?.[1]) throw new Error('parameter.cue has no providerHelm.package default');
  return match[1];
}

/**
 * This checkout's composition function, built if missing (a no-op when its sources are unchanged):
 * another checkout sharing the tool cache replaces it with a build of its own sources.
 */
async function composeFunctionBinary(): Promise<string> {
  await execa('bash', [goToolsInstallScriptPath, '--only', 'function-compose-platform']);
  const pinned = join(mkdtempSync(join(tmpdir(), 'rtp-function-')), 'function-compose-platform');
  linkSync(GoTool.locate('function-compose-platform').binary, pinned);
  return pinned;
}

export async function realtimeAddonClusterOptions(): Promise<LocalClusterOptions> {
  for (const [file, target] of [
    [chartRepositoryDir, 'charts:package'],
    [composeFunctionXpkg, 'addons:xpkg'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npx nx run ${target}`);
  }
  const autoReady = functionPackages().find((f) => f.name !== composeFunction.name);
  if (!autoReady) throw new Error('the addon installs no function-auto-ready');
  return {
    kubevela: true,
    chartRepository: chartRepositoryDir,
    crossplane: {
      packages: [
        { reference: composeFunction.package, xpkgFile: composeFunctionXpkg },
        {
          reference: autoReady.package,
          packageRoot: goToolModulePath('function-auto-ready', 'package'),
        },
        {
          reference: addonProviderHelmPackage(),
          packageRoot: goToolModulePath('provider-helm', 'package'),
        },
      ],
      functions: [
        {
          name: composeFunction.name,
          binary: await composeFunctionBinary(),
          args: ({ address, tlsCertsDir }) => [
            `--address=${address}`,
            `--tls-certs-dir=${tlsCertsDir}`,
            '--metrics-address=',
          ],
        },
        {
          name: autoReady.name,
          binary: GoTool.locate('function-auto-ready').binary,
          args: ({ address, tlsCertsDir }) => [
            `--address=${address}`,
            `--tls-certs-dir=${tlsCertsDir}`,
          ],
        },
      ],
      providers: [
        {
          imagePath: /\/crossplane-contrib\/provider-helm:/,
          binary: GoTool.locate('provider-helm').binary,
        },
      ],
    },
  };
}
