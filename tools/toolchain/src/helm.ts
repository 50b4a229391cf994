import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { cacheDir } from './cache-dir.js';
import { findExecutable } from './system-binaries.js';
import { installScriptPath, toolchainManifest } from './toolchain-manifest.js';
import { toolchainErrors } from './toolchain-errors.js';

/** A rendered Kubernetes object, as loosely typed as YAML is. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface HelmValuesOptions {
  /** Values objects, each written to a temporary values file in order (later wins). */
  values?: Record<string, unknown>[];
  /** Existing values files, applied before `values`. */
  valuesFiles?: string[];
}

export interface HelmTemplateOptions extends HelmValuesOptions {
  releaseName?: string;
  namespace?: string;
  /** Render as if upgrading, so `lookup`-based credential reuse takes the upgrade path. */
  isUpgrade?: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface HelmResult {
  stdout: string;
  stderr: string;
}

/**
 * The one place the project runs helm. Every chart test, the CLI and the packaging command go
 * through it, so the binary's location and error handling are decided once.
 */
export class Helm {
  constructor(readonly binary: string) {}

  /** helm from PATH if there is one, else the binary install.sh unpacked into the cache. */
  static locate(env: NodeJS.ProcessEnv = process.env): Helm {
    const onPath = findExecutable('helm');
    if (onPath) return new Helm(onPath);
    const cached = join(cacheDir(env), 'helm', toolchainManifest.helm.npmVersion, 'helm');
    if (existsSync(cached)) return new Helm(cached);
    throw toolchainErrors.MISSING({
      tool: 'helm',
      hint: `run "bash ${installScriptPath}" (npm run setup)`,
    });
  }

  async run(args: string[], options: { cwd?: string } = {}): Promise<HelmResult> {
    const result = await execa(this.binary, args, {
      reject: false,
      cwd: options.cwd,
      env: { HELM_NO_PLUGINS: '1' },
    });
    if (result.exitCode !== 0) {
      throw toolchainErrors.HELM_FAILED({
        command: args.slice(0, 1).join(' '),
        exitCode: result.exitCode,
        stderr: result.stderr || result.stdout,
      });
    }
    return { stdout: result.stdout, stderr: result.stderr };
  }

  async version(): Promise<string> {
    return (await this.run(['version', '--short'])).stdout.trim();
  }

  /** `helm template`: the rendered manifest stream. Fails with helm's own message. */
  async template(chartDir: string, options: HelmTemplateOptions = {}): Promise<string> {
    return this.withValues(options, async (valueArgs) => {
      const args = ['template', options.releaseName ?? 'release', chartDir, ...valueArgs];
      if (options.namespace) args.push('--namespace', options.namespace);
      if (options.isUpgrade) args.push('--is-upgrade');
      if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
      for (const api of options.apiVersions ?? []) args.push('--api-versions', api);
      return (await this.run(args)).stdout;
    });
  }

  /** `helm template`, parsed into objects (empty documents dropped). */
  async templateObjects(
    chartDir: string,
    options: HelmTemplateOptions = {},
  ): Promise<KubernetesObject[]> {
    const manifest = await this.template(chartDir, options);
    return parseAllDocuments(manifest)
      .map((doc) => doc.toJSON() as KubernetesObject | null)
      .filter((obj): obj is KubernetesObject => obj !== null && typeof obj === 'object');
  }

  /** `helm lint --strict`; resolves with helm's report, rejects when helm finds errors. */
  async lint(chartDir: string, options: HelmValuesOptions = {}): Promise<string> {
    return this.withValues(
      options,
      async (valueArgs) => (await this.run(['lint', '--strict', chartDir, ...valueArgs])).stdout,
    );
  }

  async dependencyBuild(chartDir: string): Promise<void> {
    await this.run(['dependency', 'build', chartDir, '--skip-refresh']);
  }

  /** `helm package` into `destination`; returns the .tgz path helm reports. */
  async package(chartDir: string, destination: string): Promise<string> {
    const { stdout } = await this.run(['package', chartDir, '--destination', destination]);
    return stdout.trim().split(': ').pop() ?? '';
  }

  async repoIndex(directory: string, url?: string): Promise<void> {
    await this.run(['repo', 'index', directory, ...(url ? ['--url', url] : [])]);
  }

  private async withValues<T>(
    options: HelmValuesOptions,
    body: (args: string[]) => Promise<T>,
  ): Promise<T> {
    const args = (options.valuesFiles ?? []).flatMap((file) => ['--values', file]);
    if (!options.values?.length) return body(args);
    const dir = await mkdtemp(join(tmpdir(), 'rtp-helm-values-'));
    try {
      for (const [index, values] of options.values.entries()) {
        const file = join(dir, `values-${index}.yaml`);
        // JSON is valid YAML, and exact about types (no "on"/"yes" surprises).
        await writeFile(file, JSON.stringify(values));
        args.push('--values', file);
      }
      return await body(args);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
