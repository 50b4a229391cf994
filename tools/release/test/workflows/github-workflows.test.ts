import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GoTool } from '@realtime-platform/toolchain';
import { workspaceRoot } from '../../src/index.js';

const workflowsDir = join(workspaceRoot, '.github', 'workflows');
const workflowFiles = readdirSync(workflowsDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => join(workflowsDir, file));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = (name: string): { on: unknown; jobs: Record<string, Job> } =>
  parse(readFileSync(join(workflowsDir, name), 'utf8'));
const runs = (job: Job): string => job.steps.map((step) => step.run ?? '').join('\n');
const uses = (job: Job, action: string): Step | undefined =>
  job.steps.find((step) => step.uses?.split('@')[0] === action);

/** actionlint (built from the Go module proxy by install-go-tools.sh) over the given files. */
async function actionlint(files: string[], cwd: string) {
  return GoTool.locate('actionlint').run(['-no-color', '-oneline', ...files], { cwd });
}

describe('the GitHub workflows', () => {
  it('pass actionlint', async () => {
    expect(workflowFiles.length).toBeGreaterThanOrEqual(2);
    const result = await actionlint(workflowFiles, workspaceRoot);
    expect({ exitCode: result.exitCode, findings: result.stdout.trim() }).toEqual({
      exitCode: 0,
      findings: '',
    });
  });

  it('would fail actionlint when a workflow is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-workflows-'));
    try {
      mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
      const broken = readFileSync(join(workflowsDir, 'release.yml'), 'utf8')
        .replace("startsWith(github.ref, 'refs/tags/v')", "startsWith(github.refs, 'refs/tags/v')")
        .replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-24.04\n    timeout-minute: 5');
      const file = join(dir, '.github', 'workflows', 'release.yml');
      writeFileSync(file, broken);
      const result = await actionlint([file], dir);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toMatch(/property "refs" is not defined/);
      expect(result.stdout).toMatch(/unexpected key "timeout-minute"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CI runs exactly npm ci && npm test on Node 24', () => {
    const { test } = workflow('ci.yml').jobs;
    expect(uses(test!, 'actions/setup-node')?.with).toMatchObject({ 'node-version': 24 });
    const commands = test!.steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(commands.slice(-2)).toEqual(['npm ci', 'npm test']);
  });

  it('release publishes the npm packages through changesets with provenance (OIDC)', () => {
    const { npm } = workflow('release.yml').jobs;
    expect(npm!.permissions).toMatchObject({ 'id-token': 'write' });
    const changesets = uses(npm!, 'changesets/action');
    const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
    expect(changesets?.with).toMatchObject({
      version: 'npm run version-packages',
      publish: 'npm run publish-packages',
    });
    expect(root.scripts['publish-packages']).toBe('changeset publish');
    expect(root.scripts['version-packages']).toMatch(/^changeset version/);
  });

  it('release pushes images (multi-arch, provenance), charts and the xpkg through their nx targets', () => {
    const { images, charts, xpkg } = workflow('release.yml').jobs;
    expect(runs(images!)).toMatch(/nx run-many -t image\b/);
    const imageEnv = images!.steps.find((step) => step.env?.IMAGE_PLATFORMS)?.env;
    expect(imageEnv).toMatchObject({
      IMAGE_PLATFORMS: 'linux/amd64,linux/arm64',
      IMAGE_PROVENANCE: 'mode=max',
      IMAGE_PUSH: 'true',
    });
    expect(runs(charts!)).toMatch(/nx run charts:package\b/);
    expect(runs(charts!)).toMatch(/helm push "\$package" "oci:\/\//);
    expect(runs(xpkg!)).toMatch(/nx run addons:xpkg\b/);
    expect(runs(xpkg!)).toMatch(/xpkg push/);
    for (const job of [images, charts, xpkg]) expect(job!.if).toContain('refs/tags/v');
  });
});
