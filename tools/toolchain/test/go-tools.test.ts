import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  GoTool,
  goLocalToolSource,
  goModuleToolSpec,
  goToolBinaryNames,
  goToolDir,
  goToolVersion,
  goToolsInstallScriptPath,
  goToolsManifest,
  sourceTreeVersion,
  toolchainErrors,
  type GoClusterToolName,
  type GoLocalToolName,
  type GoModuleToolName,
  type GoToolName,
} from '../src/index.js';

const moduleTools = [
  ...(Object.keys(goToolsManifest.tools) as GoModuleToolName[]),
  ...(Object.keys(goToolsManifest.clusterTools) as GoClusterToolName[]),
];
const localTools = Object.keys(goToolsManifest.localTools) as GoLocalToolName[];
const toolNames: GoToolName[] = [...moduleTools, ...localTools];

describe('go tools', () => {
  it('finds each binary where install-go-tools.sh puts it', async () => {
    const env = { ...process.env, RTP_CACHE_DIR: '/tmp/rtp-cache-probe' };
    for (const name of toolNames) {
      const { stdout } = await execa('bash', [goToolsInstallScriptPath, '--print-bin', name], {
        env,
      });
      expect(stdout).toBe(join(goToolDir(name, env), goToolBinaryNames(name)[0] as string));
    }
  });

  it('names the primary binary first among the binaries of a tool of several packages', () => {
    const spec = goModuleToolSpec('kubernetes');
    expect(spec.package.split(' ')).toHaveLength(goToolBinaryNames('kubernetes').length);
    expect(goToolBinaryNames('kubernetes')).toEqual([
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kubectl',
    ]);
    expect(goToolBinaryNames('kubernetes')[0]).toBe(spec.binary);
    const env = { RTP_CACHE_DIR: '/tmp/rtp-cache-probe' };
    expect(() => GoTool.locate('kubernetes', env, 'kubectl')).toThrow(
      /kubectl \(kubernetes\) v1\.34\.\d+ is not installed.*--with-cluster-tools/,
    );
    expect(() => GoTool.locate('kubernetes', env, 'kubelet')).toThrow(
      /kubernetes builds kube-apiserver, kube-controller-manager, kube-scheduler, kubectl/,
    );
  });

  it('builds the version into the binaries that report it, from the one version field', async () => {
    const ldflags = async (name: GoToolName): Promise<string> =>
      (await execa('bash', [goToolsInstallScriptPath, '--print-ldflags', name])).stdout;
    const kubernetes = goModuleToolSpec('kubernetes').version;
    const [major, minor] = kubernetes.slice(1).split('.');
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      expect(await ldflags('kubernetes')).toContain(`-X ${pkg}.gitVersion=${kubernetes}`);
      expect(await ldflags('kubernetes')).toContain(`-X ${pkg}.gitMajor=${major} `);
      expect(await ldflags('kubernetes')).toContain(`-X ${pkg}.gitMinor=${minor} `);
    }
    expect(await ldflags('vela')).toBe(
      `-s -w -X github.com/oam-dev/kubevela/version.VelaVersion=${goModuleToolSpec('vela').version}`,
    );
    expect(await ldflags('crossplane-core')).toContain(
      `version.version=${goModuleToolSpec('crossplane-core').version}`,
    );
    expect(await ldflags('function-compose-platform')).toBe('-s -w ');
  });

  it("writes FerretDB's generated version file, so the binary starts and reports its version", async () => {
    expect(goModuleToolSpec('ferretdb').versionFile).toBe('build/version/version.txt');
    // Without the file FerretDB panics at start; a built binary proves the script wrote it.
    if (!GoTool.isAvailable('ferretdb')) return;
    const result = await GoTool.locate('ferretdb').run(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`version: ${goModuleToolSpec('ferretdb').version}`);
  });

  it('stamps golangci-lint with its release, so --version names it instead of (devel)', async () => {
    const { stdout: ldflags } = await execa('bash', [
      goToolsInstallScriptPath,
      '--print-ldflags',
      'golangci-lint',
    ]);
    // golangci-lint keeps main.version only when main.date is set too.
    expect(ldflags).toContain(`-X main.version=${goModuleToolSpec('golangci-lint').version}`);
    expect(ldflags).toContain('-X main.date=');
    if (!GoTool.isAvailable('golangci-lint')) return;
    const result = await GoTool.locate('golangci-lint').run(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`version ${goModuleToolSpec('golangci-lint').version}`);
  });

  it('builds the control plane at the versions of the CLIs it serves', () => {
    // vela addon enable and crossplane xpkg build talk to the controllers built from these.
    expect(goModuleToolSpec('vela-core').module).toBe(goModuleToolSpec('vela').module);
    expect(goModuleToolSpec('vela-core').version).toBe(goModuleToolSpec('vela').version);
    expect(goModuleToolSpec('crossplane-core').module).toBe(goModuleToolSpec('crossplane').module);
    expect(goModuleToolSpec('crossplane-core').version).toBe(
      goModuleToolSpec('crossplane').version,
    );
  });

  it('refuses a tool name it does not know', async () => {
    const result = await execa('bash', [goToolsInstallScriptPath, '--only', 'vela,kubelet'], {
      reject: false,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('unknown tool: kubelet');
  });

  it('pins every module tool to an exact version and a module path', () => {
    for (const name of moduleTools) {
      const spec = goModuleToolSpec(name);
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
      const spec =
        (goToolsManifest.localTools as Record<string, { goToolchain?: string }>)[name] ??
        goModuleToolSpec(name as GoModuleToolName);
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
