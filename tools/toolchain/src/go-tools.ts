import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { cacheDir } from './cache-dir.js';
import { toolchainErrors } from './toolchain-errors.js';

/** The Go-built tools install-go-tools.sh builds from the Go module proxy. */
export type GoToolName =
  'vela' | 'crossplane' | 'function-go-templating' | 'function-auto-ready' | 'cue';

export interface GoToolSpec {
  module: string;
  version: string;
  package: string;
  binary: string;
  /** Module paths kept beside the binary, under `<dir>/module/`. */
  keep?: string;
  /** May fail to build without failing the installer (the error is kept in build-error.log). */
  optional?: boolean;
  /** A Go toolchain the sources need (built with GOTOOLCHAIN=<it>). */
  goToolchain?: string;
}

export const goToolsManifestPath = new URL('../go-tools/go-tools.json', import.meta.url);

/** go-tools/go-tools.json: the single place the Go tools' versions are written. */
export const goToolsManifest: { tools: Record<GoToolName, GoToolSpec> } = JSON.parse(
  readFileSync(goToolsManifestPath, 'utf8'),
) as { tools: Record<GoToolName, GoToolSpec> };

export const goToolsInstallScriptPath = new URL('../scripts/install-go-tools.sh', import.meta.url)
  .pathname;

/** `<cache>/go-tools/<tool>/<version>`: the binary, build-seconds or build-error.log, module/. */
export function goToolDir(name: GoToolName, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'go-tools', name, goToolsManifest.tools[name].version);
}

/** The exact error the last build of `name` failed with, when it failed. */
export function goToolBuildError(
  name: GoToolName,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const log = join(goToolDir(name, env), 'build-error.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim() : undefined;
}

export interface GoToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface GoToolRunOptions {
  cwd?: string;
  input?: string;
  env?: Record<string, string>;
}

/** A Go-built CLI from the cache. Runs never throw on a non-zero exit: callers assert on it. */
export class GoTool {
  constructor(
    readonly name: GoToolName,
    readonly binary: string,
  ) {}

  /** The cached binary, or RTP_ERR_TOOLCHAIN_MISSING naming the build error when there is one. */
  static locate(name: GoToolName, env: NodeJS.ProcessEnv = process.env): GoTool {
    const spec = goToolsManifest.tools[name];
    const binary = join(goToolDir(name, env), spec.binary);
    if (existsSync(binary)) return new GoTool(name, binary);
    const buildError = goToolBuildError(name, env);
    throw toolchainErrors.MISSING({
      tool: `${name} ${spec.version}`,
      hint: buildError
        ? `its build failed: ${buildError.split('\n').slice(-3).join(' ')}`
        : `run "bash ${goToolsInstallScriptPath}" (npm run setup)`,
    });
  }

  /** True when the tool is built (for optional tools). */
  static isAvailable(name: GoToolName, env: NodeJS.ProcessEnv = process.env): boolean {
    return existsSync(join(goToolDir(name, env), goToolsManifest.tools[name].binary));
  }

  get version(): string {
    return goToolsManifest.tools[this.name].version;
  }

  async run(args: string[], options: GoToolRunOptions = {}): Promise<GoToolResult> {
    const result = await execa(this.binary, args, {
      reject: false,
      cwd: options.cwd,
      input: options.input,
      env: options.env,
      stripFinalNewline: false,
    });
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    };
  }

  /** A long-running process (a composition function server); stop it with `.kill()`. */
  start(args: string[]): ResultPromise {
    return execa(this.binary, args, { reject: false, buffer: false, stdio: 'ignore' });
  }
}

/**
 * vela-core's own built-in definitions (webservice, env, ...) from the KubeVela module the CLI was
 * built from: offline `vela dry-run` knows no built-in type unless it is given with `-d`.
 */
export function velaBuiltinDefinitionsDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(goToolDir('vela', env), 'module', 'vela-templates', 'definitions', 'internal');
  if (!existsSync(dir)) {
    throw toolchainErrors.MISSING({
      tool: 'vela built-in definitions',
      hint: `run "bash ${goToolsInstallScriptPath}" (npm run setup)`,
    });
  }
  return dir;
}
