import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { workspaceDirectories, workspaceRoot } from '../../src/index.js';

const changesetBin = join(workspaceRoot, 'node_modules', '.bin', 'changeset');
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

describe('changesets', () => {
  it('version bumps a published package, writes its CHANGELOG and moves every dependent with it', async () => {
    // A copy of the workspace's manifests and .changeset/: what `changeset version` reads and writes.
    const copy = mkdtempSync(join(tmpdir(), 'rtp-changesets-'));
    try {
      cpSync(join(workspaceRoot, '.changeset'), join(copy, '.changeset'), { recursive: true });
      cpSync(join(workspaceRoot, 'package.json'), join(copy, 'package.json'));
      for (const dir of workspaceDirectories()) {
        const target = join(copy, relative(workspaceRoot, dir));
        mkdirSync(target, { recursive: true });
        cpSync(join(dir, 'package.json'), join(target, 'package.json'));
      }
      cpSync(
        join(workspaceRoot, 'libs/errors/CHANGELOG.md'),
        join(copy, 'libs/errors/CHANGELOG.md'),
      );
      writeFileSync(
        join(copy, '.changeset', 'coded-causes.md'),
        "---\n'@realtime-platform/errors': minor\n---\n\nErrors carry their causes' codes.\n",
      );

      await execa(changesetBin, ['version'], { cwd: copy });

      const errors = manifestOf(join(copy, 'libs/errors'));
      const sdk = manifestOf(join(copy, 'libs/realtime-sdk'));
      const cli = manifestOf(join(copy, 'tools/cli'));
      expect(errors.version).toBe('0.2.0');
      expect(readFileSync(join(copy, 'libs/errors/CHANGELOG.md'), 'utf8')).toMatch(
        /## 0\.2\.0\s+### Minor Changes\s+- .*Errors carry their causes' codes\.[\s\S]*## 0\.1\.0/,
      );
      // Exact internal versions move together, so npm never fetches an old one from the registry.
      expect(sdk.version).toBe('0.1.1');
      expect(sdk.dependencies['@realtime-platform/errors']).toBe('0.2.0');
      expect(cli.private).toBe(true);
      expect(cli.dependencies['@realtime-platform/errors']).toBe('0.2.0');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
