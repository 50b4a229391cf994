import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  GoTool,
  goToolDir,
  goToolsInstallScriptPath,
  goToolsManifest,
  toolchainErrors,
  type GoToolName,
} from '../src/index.js';

const toolNames = Object.keys(goToolsManifest.tools) as GoToolName[];

describe('go tools', () => {
  it('finds each binary where install-go-tools.sh puts it', async () => {
    const env = { ...process.env, RTP_CACHE_DIR: '/tmp/rtp-cache-probe' };
    for (const name of toolNames) {
      const { stdout } = await execa('bash', [goToolsInstallScriptPath, '--print-bin', name], {
        env,
      });
      expect(stdout).toBe(join(goToolDir(name, env), goToolsManifest.tools[name].binary));
    }
  });

  it('pins every tool to an exact version and a module path', () => {
    for (const name of toolNames) {
      const spec = goToolsManifest.tools[name];
      expect(spec.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(spec.module).toMatch(/^[a-z0-9.-]+\.[a-z]+\//);
    }
  });

  it('names the recorded build error when a tool could not be built', () => {
    const cache = mkdtempSync(join(tmpdir(), 'rtp-go-tools-'));
    try {
      const env = { RTP_CACHE_DIR: cache };
      mkdirSync(goToolDir('function-auto-ready', env), { recursive: true });
      writeFileSync(
        join(goToolDir('function-auto-ready', env), 'build-error.log'),
        'reading https://proxy.golang.org/...: 403 Forbidden',
      );
      expect(() => GoTool.locate('function-auto-ready', env)).toThrow(
        /its build failed: .*403 Forbidden/,
      );
      expect(() => GoTool.locate('vela', env)).toThrow(
        expect.objectContaining({ code: toolchainErrors.MISSING.code }),
      );
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('runs a built tool and reports its exit code without throwing', async () => {
    if (!GoTool.isAvailable('cue')) return;
    const result = await GoTool.locate('cue').run(['export', '-e', 'x', '-'], {
      input: 'x: 1 + 1',
    });
    expect(result).toMatchObject({ exitCode: 0, stdout: '2\n' });
    const failure = await GoTool.locate('cue').run(['export', '-'], { input: 'x: 1 & 2' });
    expect(failure.exitCode).not.toBe(0);
    expect(failure.stderr).toContain('conflicting values');
  });
});
