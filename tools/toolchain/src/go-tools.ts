import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { cacheDir } from './cache-dir.js';
import { toolchainErrors } from './toolchain-errors.js';

/** A Go module of the module proxy that install-go-tools.sh builds. */
export type GoModuleToolName =
  | 'vela'
  | 'crossplane'
  | 'function-auto-ready'
  | 'cue'
  | 'actionlint'
  | 'ferretdb'
  | 'golangci-lint';
/**
 * The local control plane of the cluster tests (`clusterTools`), built only with
 * `install-go-tools.sh --with-cluster-tools` (`install.sh --with-cluster-tools`).
 */
export type GoClusterToolName =
  'etcd' | 'kubernetes' | 'kwok' | 'vela-core' | 'crossplane-core' | 'provider-helm' | 'registry';
/** A Go program of this repository that install-go-tools.sh builds (`localTools`). */
export type GoLocalToolName = 'function-compose-platform';
/** Every Go-built tool install-go-tools.sh builds. */
export type GoToolName = GoModuleToolName | GoClusterToolName | GoLocalToolName;

export interface GoToolSpec {
  module: string;
  version: string;
  /** One package, or several separated by spaces (one binary each, see `binaries`). */
  package: string;
  /** The binary `--print-bin` prints and `GoTool.locate(name)` finds. */
  binary: string;
  /** Every binary, comma-separated, when `package` names several. */
  binaries?: string;
  /** Module paths kept beside the binary, under `<dir>/module/`. */
  keep?: string;
  /** May fail to build without failing the installer (the error is kept in build-error.log). */
  optional?: boolean;
  /** A Go toolchain the sources need (built with GOTOOLCHAIN=<it>). */
  goToolchain?: string;
  /** `-X` linker flags; `{version}`, `{major}`, `{minor}` stand for the version's parts. */
  ldflags?: string;
  /** The version the module's folder replaces of required modules are rewritten to. */
  relativeReplaces?: string;
  /** A file the module's release tooling generates, missing from its zip: written with `version`. */
  versionFile?: string;
}

export interface GoLocalToolSpec {
  /** The program's folder (its own go.mod), relative to the repository root. */
  source: string;
  package: string;
  binary: string;
  goToolchain?: string;
}

export const goToolsManifestPath = new URL('../go-tools/go-tools.json', import.meta.url);

interface GoToolsManifest {
  tools: Record<GoModuleToolName, GoToolSpec>;
  clusterTools: Record<GoClusterToolName, GoToolSpec>;
  localTools: Record<GoLocalToolName, GoLocalToolSpec>;
}

/** go-tools/go-tools.json: the single place the Go tools' versions and sources are written. */
export const goToolsManifest: GoToolsManifest = JSON.parse(
  readFileSync(goToolsManifestPath, 'utf8'),
) as GoToolsManifest;

export const goToolsInstallScriptPath = new URL('../scripts/install-go-tools.sh', import.meta.url)
  .pathname;

/** The repository root (tools/toolchain/{src,dist}/../../..). */
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

const isLocalTool = (name: GoToolName): name is GoLocalToolName =>
  Object.hasOwn(goToolsManifest.localTools, name);

/** The manifest entry of a module tool (`tools` or `clusterTools`). */
export function goModuleToolSpec(name: GoModuleToolName | GoClusterToolName): GoToolSpec {
  return Object.hasOwn(goToolsManifest.clusterTools, name)
    ? goToolsManifest.clusterTools[name as GoClusterToolName]
    : goToolsManifest.tools[name as GoModuleToolName];
}

/** How the cluster tools are built, for error hints. */
export const clusterToolsSetupHint = 'npm run setup -- --with-cluster-tools builds it';

/** The folder of a local tool's sources (absolute). */
export function goLocalToolSource(name: GoLocalToolName): string {
  return join(repositoryRoot, goToolsManifest.localTools[name].source);
}

/**
 * The cache version of a Go program's folder: `src-` and the first 16 hex digits of a SHA-256 over
 * the files that make its binary (all but `*_test.go`, `*.md`, `testdata/`, `package/`), as
 * `<relative path>\0<content>\0` in byte order of the paths. install-go-tools.sh computes the same.
 */
export function sourceTreeVersion(dir: string): string {
  if (!existsSync(dir)) return 'src-missing';
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!['testdata', 'package'].includes(child)) walk(child);
      } else if (entry.isFile() && !/_test\.go$|\.md$/.test(entry.name)) {
        files.push(child);
      }
    }
  };
  walk('');
  const hash = createHash('sha256');
  for (const file of files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(dir, file)))
      .update('\0');
  }
  return `src-${hash.digest('hex').slice(0, 16)}`;
}

/** A local tool's cache version: `sourceTreeVersion` of its folder. */
export function goLocalToolVersion(name: GoLocalToolName): string {
  return sourceTreeVersion(goLocalToolSource(name));
}

/** The version a tool is cached under: the module version, or a local tool's source hash. */
export function goToolVersion(name: GoToolName): string {
  return isLocalTool(name) ? goLocalToolVersion(name) : goModuleToolSpec(name).version;
}

function goToolBinaryName(name: GoToolName): string {
  return isLocalTool(name)
    ? goToolsManifest.localTools[name].binary
    : goModuleToolSpec(name).binary;
}

/** Every binary a tool builds (several for a tool of several packages, e.g. kubernetes). */
export function goToolBinaryNames(name: GoToolName): string[] {
  if (isLocalTool(name)) return [goToolsManifest.localTools[name].binary];
  const spec = goModuleToolSpec(name);
  return spec.binaries ? spec.binaries.split(',') : [spec.binary];
}

/** `<cache>/go-tools/<tool>/<version>`: the binary, build-seconds or build-error.log, module/. */
export function goToolDir(name: GoToolName, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'go-tools', name, goToolVersion(name));
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

  /**
   * The cached binary (`binary`: one of a multi-binary tool's, default its primary one), or
   * RTP_ERR_TOOLCHAIN_MISSING naming the build error when there is one.
   */
  static locate(
    name: GoToolName,
    env: NodeJS.ProcessEnv = process.env,
    binaryName: string = goToolBinaryName(name),
  ): GoTool {
    if (!goToolBinaryNames(name).includes(binaryName)) {
      throw toolchainErrors.MISSING({
        tool: `${binaryName} (${name} ${goToolVersion(name)})`,
        hint: `${name} builds ${goToolBinaryNames(name).join(', ')}`,
      });
    }
    const binary = join(goToolDir(name, env), binaryName);
    if (existsSync(binary)) return new GoTool(name, binary);
    const buildError = goToolBuildError(name, env);
    const isClusterTool = Object.hasOwn(goToolsManifest.clusterTools, name);
    throw toolchainErrors.MISSING({
      tool: `${name === binaryName ? name : `${binaryName} (${name})`} ${goToolVersion(name)}`,
      hint: buildError
        ? `its build failed: ${buildError.split('\n').slice(-3).join(' ')}`
        : isClusterTool
          ? `run "bash ${goToolsInstallScriptPath} --with-cluster-tools" (${clusterToolsSetupHint})`
          : `run "bash ${goToolsInstallScriptPath}" (npm run setup)`,
    });
  }

  /** True when the tool is built (for optional tools). */
  static isAvailable(name: GoToolName, env: NodeJS.ProcessEnv = process.env): boolean {
    return existsSync(join(goToolDir(name, env), goToolBinaryName(name)));
  }

  get version(): string {
    return goToolVersion(this.name);
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
 * A path of a module tool's module kept beside its binary (`keep` in go-tools.json), e.g.
 * `goToolModulePath('kwok', 'kustomize/stage')`; RTP_ERR_TOOLCHAIN_MISSING when it is not there.
 */
export function goToolModulePath(
  name: GoModuleToolName | GoClusterToolName,
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const full = join(goToolDir(name, env), 'module', path);
  if (!existsSync(full)) {
    const isClusterTool = Object.hasOwn(goToolsManifest.clusterTools, name);
    throw toolchainErrors.MISSING({
      tool: `${name} ${goToolVersion(name)} module files (${path})`,
      hint: `run "bash ${goToolsInstallScriptPath}${isClusterTool ? ' --with-cluster-tools' : ''}"`,
    });
  }
  return full;
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
