import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ContainerService,
  eventually,
  freePort,
  isListening,
} from '@realtime-platform/local-infra';
import { Buildah } from '@realtime-platform/toolchain';
import { imageCatalog, readPackage, repoRoot } from './support/image-catalog.js';

/**
 * Issue 15: the composition function's package, built by `crossplane xpkg build` (nx addons:xpkg)
 * with its runtime image embedded (addons:function-image, FROM scratch): one OCI image holding
 * the package metadata and the function, which runs from it as a cluster would run it.
 */
const xpkg = join(repoRoot, 'addons/dist/xpkg/function-compose-platform.xpkg');
const published = `${imageCatalog.registry}/${imageCatalog.namespace}/function-compose-platform:v${readPackage('addons').version}`;

interface ArchiveManifest {
  Config: string;
  Layers: string[];
}

describe('the function-compose-platform package (xpkg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtp-xpkg-'));
  let manifest: ArchiveManifest;
  let config: { config: { User?: string; Entrypoint?: string[] } };
  const layerFiles = new Map<string, string[]>();

  beforeAll(() => {
    execFileSync('tar', ['-xf', xpkg, '-C', dir]);
    [manifest] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as [ArchiveManifest];
    config = JSON.parse(readFileSync(join(dir, manifest.Config), 'utf8')) as typeof config;
    for (const layer of manifest.Layers)
      layerFiles.set(
        layer,
        execFileSync('tar', ['-tzf', join(dir, layer)], { encoding: 'utf8' })
          .trim()
          .split('\n'),
      );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the package metadata (the Function and its input CRD) in a layer of its own', () => {
    const packageLayer = manifest.Layers.find((layer) =>
      layerFiles.get(layer)?.includes('package.yaml'),
    );
    expect(packageLayer).toBeDefined();
    execFileSync('tar', ['-xzf', join(dir, packageLayer ?? ''), '-C', dir, 'package.yaml']);
    const documents = readFileSync(join(dir, 'package.yaml'), 'utf8');
    expect(documents).toMatch(/^kind: Function$/m);
    expect(documents).toMatch(/^ {2}name: function-compose-platform$/m);
    expect(documents).toMatch(/^kind: CustomResourceDefinition$/m);
  });

  it('embeds the runtime image: the static binary as entrypoint, run as 65532', () => {
    expect(manifest.Layers.some((layer) => layerFiles.get(layer)?.includes('function'))).toBe(true);
    expect(config.config.Entrypoint).toEqual(['/function']);
    expect(config.config.User).toBe('65532:65532');
  });

  it('runs the function from the package as 65532, without capabilities, on a read-only root', async () => {
    const buildah = Buildah.locate();
    const image = (await buildah.run(['pull', '--quiet', `docker-archive:${xpkg}`])).trim();
    const [grpcPort, metricsPort] = [await freePort(), await freePort()];
    const container = await ContainerService.start({
      name: 'function-compose-platform',
      image,
      env: {},
      setHttpPort: false,
      waitFor: 'none',
      // What crossplane render's Development runtime runs it with, on loopback ports.
      args: [
        '--insecure',
        `--address=127.0.0.1:${grpcPort}`,
        `--metrics-address=127.0.0.1:${metricsPort}`,
      ],
    });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok);
      await waitFor(() => isListening(grpcPort));
      const child = readFileSync(`/proc/${container.pid}/task/${container.pid}/children`, 'utf8')
        .trim()
        .split(' ')[0];
      const status = readFileSync(`/proc/${child}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+65532\s+65532\s+65532\s+65532$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      const root = readFileSync(`/proc/${child}/mountinfo`, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .filter((fields) => fields[4] === '/')
        .at(-1);
      expect(root?.[5]?.split(',')).toContain('ro');
    } finally {
      await container.stop();
      await buildah.run(['rmi', image]).catch(() => undefined);
    }
  });

  it('is what the addon installs by default (composeFunctionPackage), under the name a release pushes it to', () => {
    const parameters = readFileSync(
      join(repoRoot, 'addons/realtime-platform/parameter.cue'),
      'utf8',
    );
    expect(parameters).toContain(`composeFunctionPackage: *"${published}" | string`);
    expect(readFileSync(join(repoRoot, 'addons/scripts/build-xpkg.sh'), 'utf8')).toContain(
      `crossplane xpkg push -f addons/dist/xpkg/function-compose-platform.xpkg ${published}`,
    );
    expect(readdirSync(join(repoRoot, 'addons/dist/xpkg'))).toContain(
      'function-compose-platform.xpkg',
    );
  });
});

/** Polls until `condition` holds; a condition that throws (not up yet) counts as false. */
const waitFor = (condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> =>
  eventually(() => condition().catch(() => false), {
    timeoutMs,
    intervalMs: 200,
    what: 'the function',
  });
