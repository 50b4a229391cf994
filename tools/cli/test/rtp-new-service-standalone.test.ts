import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const rtp = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** npm as the starter's user runs it, from the machine's npm cache where it can. */
const npm = (args: string[], cwd: string) =>
  execa('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd,
    reject: false,
    all: true,
    env: { npm_config_update_notifier: 'false' },
  });

describe('rtp new service --standalone', () => {
  it('creates a repository outside the monorepo whose own npm ci && npm test pass', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'rtp-standalone-'));
    const target = join(parent, 'ward-monitor');
    try {
      expect(relative(repoRoot, target).startsWith('..')).toBe(true);
      const t0 = performance.now();
      const created = await execa('node', [
        rtp,
        'new',
        'service',
        'ward-monitor',
        '--standalone',
        target,
      ]);
      expect(created.stdout).toMatch(/created .*ward-monitor \(\d+ files, the SDK from 4 packed/);
      const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
      expect(manifest.dependencies['@realtime-platform/realtime-sdk']).toMatch(
        /^file:vendor\/realtime-platform-realtime-sdk-\d+\.\d+\.\d+\.tgz$/,
      );
      expect(manifest.devDependencies['@realtime-platform/local-infra']).toBeUndefined();
      expect(existsSync(join(target, 'package-lock.json'))).toBe(true);
      expect(existsSync(join(target, 'test', 'integration'))).toBe(false);
      const generated = performance.now();

      const ci = await npm(['ci'], target);
      expect({ step: 'npm ci', exitCode: ci.exitCode }).toEqual({ step: 'npm ci', exitCode: 0 });
      const installed = performance.now();
      const test = await npm(['test'], target);
      const tested = performance.now();
      console.log(
        `standalone starter: generate ${((generated - t0) / 1000).toFixed(1)} s, ` +
          `npm ci ${((installed - generated) / 1000).toFixed(1)} s, ` +
          `npm test ${((tested - installed) / 1000).toFixed(1)} s`,
      );
      expect({
        step: 'npm test',
        exitCode: test.exitCode,
        tail: test.exitCode === 0 ? '' : String(test.all).slice(-3000),
      }).toEqual({
        step: 'npm test',
        exitCode: 0,
        tail: '',
      });
      // nx's FORCE_COLOR reaches the starter's jest: compare the text without its colours.
      const output = stripVTControlCharacters(String(test.all));
      expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
      expect(output).toContain('All matched files use Prettier code style!');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 600_000);

  it('refuses a directory inside the monorepo (Node would resolve its packages from it)', async () => {
    const inside = join(repoRoot, 'services', 'ward-monitor-standalone');
    const result = await execa(
      'node',
      [rtp, 'new', 'service', 'ward-monitor', '--standalone', inside],
      { reject: false },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/RTP_ERR_GENERATOR_STANDALONE_INSIDE_WORKSPACE/);
    expect(existsSync(inside)).toBe(false);
  });
});
