import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** What `npx rtp` runs: the link npm ci puts in the root node_modules/.bin. */
const npmBinLink = join(repoRoot, 'node_modules', '.bin', 'rtp');

const manifest = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as {
  bin: { rtp: string };
};
const nxConfig = JSON.parse(readFileSync(join(repoRoot, 'nx.json'), 'utf8')) as {
  targetDefaults: { build: { outputs: string[] } };
};

describe('the rtp bin', () => {
  it('runs through npm`s bin link when nx restored dist/ from its cache without exec bits', async () => {
    // nx writes cached outputs back as 0644 files: before the bin was a committed file, the link
    // pointed at dist/main.js and `npx rtp` answered "Permission denied" after a cached build.
    for (const file of readdirSync(join(cliDir, 'dist')).filter((f) => f.endsWith('.js')))
      chmodSync(join(cliDir, 'dist', file), 0o644);
    expect(existsSync(npmBinLink)).toBe(true);

    const result = await execa(npmBinLink, ['--help'], { reject: false });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: rtp <command>/);
  });

  it('is a committed executable file outside every nx build output', async () => {
    const bin = join(cliDir, manifest.bin.rtp);
    expect(realpathSync(npmBinLink)).toBe(realpathSync(bin));
    const outputs = nxConfig.targetDefaults.build.outputs.map((output) =>
      output.replace('{projectRoot}', relative(repoRoot, cliDir)),
    );
    const binPath = relative(repoRoot, bin);
    expect(outputs.filter((output) => binPath.startsWith(`${output}/`))).toEqual([]);
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    // A fresh clone gets the mode git recorded, not the one of this working tree.
    const staged = await execa('git', ['ls-files', '--stage', '--', binPath], { cwd: repoRoot });
    expect(staged.stdout).toMatch(/^100755 /);
  });

  it('says how to build when dist/ is missing (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(join(cliDir, manifest.bin.rtp), join(dir, 'bin', 'rtp.js'));
      const result = await execa('node', [join(dir, 'bin', 'rtp.js'), '--help'], {
        reject: false,
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/the CLI is not built .*run `npm run build`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
