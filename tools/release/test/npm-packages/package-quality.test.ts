import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { publishedPackages, workspaceRoot } from '../../src/index.js';
import { usePackedPackages } from '../helpers/packed-packages.js';

/** publint's findings for a tarball, as text (strict: warnings count). */
async function publintProblems(tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
  });
  return messages.map(
    (message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`,
  );
}

/**
 * @arethetypeswrong/cli on a tarball. The packages are ESM only (`esm-only` profile): a CommonJS
 * `require` of them is out of scope, every ESM and bundler resolution must find the types.
 */
async function attw(tarball: string): Promise<{ exitCode: number; output: string }> {
  const result = await execa('attw', ['--profile', 'esm-only', '--no-color', tarball], {
    preferLocal: true,
    reject: false,
  });
  return { exitCode: result.exitCode ?? -1, output: `${result.stdout}\n${result.stderr}` };
}

describe('the published npm packages', () => {
  const packed = usePackedPackages();

  it('are the SDK and the three libraries it needs, and nothing else of the workspace', () => {
    expect(publishedPackages().map((pkg) => pkg.name)).toEqual([
      '@realtime-platform/errors',
      '@realtime-platform/health-domain',
      '@realtime-platform/platform-contract',
      '@realtime-platform/realtime-sdk',
    ]);
  });

  it('publish publicly with provenance from this repository, licensed like it', () => {
    const rootLicense = readFileSync(join(workspaceRoot, 'LICENSE'), 'utf8');
    for (const pkg of publishedPackages()) {
      const manifest = JSON.parse(readFileSync(join(pkg.directory, 'package.json'), 'utf8'));
      expect({ name: pkg.name, ...manifest.publishConfig }).toEqual({
        name: pkg.name,
        access: 'public',
        provenance: true,
      });
      // npm checks a provenance statement against `repository`: it must name this repository.
      expect(manifest.repository).toMatchObject({ type: 'git', directory: pkg.workspace });
      expect(manifest.license).toBe('Apache-2.0');
      expect(readFileSync(join(pkg.directory, 'LICENSE'), 'utf8')).toBe(rootLicense);
      expect(readFileSync(join(pkg.directory, 'CHANGELOG.md'), 'utf8')).toContain(
        `## ${pkg.version}`,
      );
    }
  });

  it('depend on each other only at the exact versions being published', () => {
    const versions = new Map(publishedPackages().map((pkg) => [pkg.name, pkg.version]));
    for (const pkg of publishedPackages()) {
      const manifest = JSON.parse(readFileSync(join(pkg.directory, 'package.json'), 'utf8'));
      for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
        if (!name.startsWith('@realtime-platform/')) continue;
        expect({ from: pkg.name, name, range }).toEqual({
          from: pkg.name,
          name,
          range: versions.get(name),
        });
      }
    }
  });

  it('are publint clean (strict)', async () => {
    for (const pkg of packed())
      expect({ name: pkg.name, problems: await publintProblems(pkg.tarball) }).toEqual({
        name: pkg.name,
        problems: [],
      });
  });

  it('are clean for @arethetypeswrong/cli: types resolve for node16 ESM and bundlers', async () => {
    for (const pkg of packed()) {
      const result = await attw(pkg.tarball);
      expect({ name: pkg.name, exitCode: result.exitCode }).toEqual({
        name: pkg.name,
        exitCode: 0,
      });
      expect(result.output).toMatch(/node16 \(from ESM\).*🟢/);
    }
  });

  it('would be refused by both checks if an entry point lost its types', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-broken-pkg-'));
    try {
      const errors = publishedPackages().find((pkg) => pkg.name === '@realtime-platform/errors');
      cpSync(errors!.directory, join(dir, 'errors'), {
        recursive: true,
        filter: (source) => !source.includes('node_modules'),
      });
      const manifestPath = join(dir, 'errors', 'package.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      manifest.exports['.'].types = './dist/missing.d.ts';
      manifest.types = './dist/missing.d.ts';
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
      const packedJson = await execa('npm', ['pack', '--json', '--ignore-scripts'], {
        cwd: join(dir, 'errors'),
      });
      const [entry] = JSON.parse(String(packedJson.stdout)) as { filename: string }[];
      const tarball = join(dir, 'errors', entry?.filename ?? 'missing.tgz');

      expect((await publintProblems(tarball)).join('\n')).toMatch(/missing\.d\.ts/);
      expect((await attw(tarball)).exitCode).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
