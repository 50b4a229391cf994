import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  GoTool,
  goLocalToolSource,
  goToolDir,
  goToolVersion,
  goToolsInstallScriptPath,
  goToolsManifest,
  sourceTreeVersion,
  toolchainErrors,
  type GoLocalToolName,
  type GoModuleToolName,
  type GoToolName,
} from '../src/index.js';

const moduleTools = Object.keys(goToolsManifest.tools) as GoModuleToolName[];
const localTools = Object.keys(goToolsManifest.localTools) as GoLocalToolName[];
const toolNames: GoToolName[] = [...moduleTools, ...localTools];

describe('go tools', () => {
  it('finds each binary where install-go-tools.sh puts it', async () => {
    const env = { ...process.env, RTP_CACHE_DIR: '/tmp/rtp-cache-probe' };
    for (const name of toolNames) {
      const { stdout } = await execa('bash', [goToolsInstallScriptPath, '--print-bin', name], {
        env,
      });
      const binary = (goToolsManifest.tools as Record<string, { binary: string }>)[name]?.binary;
      const localBinary = (goToolsManifest.localTools as Record<string, { binary: string }>)[name]
        ?.binary;
      expect(stdout).toBe(join(goToolDir(name, env), (binary ?? localBinary) as string));
    }
  });

  it('pins every module tool to an exact version and a module path', () => {
    for (const name of moduleTools) {
      const spec = goToolsManifest.tools[name];
      expect(spec.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(spec.module).toMatch(/^[a-z0-9.-]+\.[a-z]+\//);
    }
  });

  it("caches every local tool under the hash of its folder's sources, which has a go.mod", () => {
    for (const name of localTools) {
      expect(existsSync(join(goLocalToolSource(name), 'go.mod'))).toBe(true);
      expect(goToolVersion(name)).toMatch(/^src-[0-9a-f]{16}$/);
      expect(goToolVersion(name)).toBe(sourceTreeVersion(goLocalToolSource(name)));
    }
  });

  it('changes a source version with the code and go.sum, not with tests, docs or package metadata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-go-src-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module example.org/fn\n');
      writeFileSync(join(dir, 'main.go'), 'package main\n');
      const first = sourceTreeVersion(dir);
      writeFileSync(join(dir, 'main_test.go'), 'package main\n');
      writeFileSync(join(dir, 'README.md'), '# fn\n');
      mkdirSync(join(dir, 'package'));
      writeFileSync(join(dir, 'package', 'crossplane.yaml'), 'kind: Function\n');
      mkdirSync(join(dir, 'testdata'));
      writeFileSync(join(dir, 'testdata', 'xr.yaml'), 'kind: XR\n');
      expect(sourceTreeVersion(dir)).toBe(first);
      writeFileSync(join(dir, 'contract.json'), '{}\n');
      const withData = sourceTreeVersion(dir);
      expect(withData).not.toBe(first);
      writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
      expect(sourceTreeVersion(dir)).not.toBe(withData);
      writeFileSync(join(dir, 'go.sum'), 'example.org/dep v1.0.0 h1:x\n');
      expect(sourceTreeVersion(dir)).not.toBe(withData);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the Go environment tools are built with, for the tests of local tools', async () => {
    for (const name of toolNames) {
      const { stdout } = await execa('bash', [goToolsInstallScriptPath, '--print-go-env', name], {
        env: { ...process.env, GOFLAGS: '' },
      });
      const spec = (goToolsManifest.tools as Record<string, { goToolchain?: string }>)[name];
      expect(stdout.split('\n')).toEqual([
        `export GOTOOLCHAIN=${spec?.goToolchain ?? 'local'}`,
        'export CGO_ENABLED=0',
        'export GOFLAGS=-trimpath\\ -p=2',
      ]);
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
