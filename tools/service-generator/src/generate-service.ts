import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorErrors } from './generator.errors.js';
import { formatRendered } from './prettier.formatter.js';
import { checkServiceName, templateName } from './service-name.js';
import { renderService, type RenderedFile } from './template-renderer.js';

export interface GenerateServiceOptions {
  /** kebab-case name of the new service, e.g. `ward-monitor`. */
  readonly name: string;
  /** Where to create it: relative to the workspace root or absolute; default `services/<name>`. */
  readonly directory?: string;
  /** Defaults to the workspace this package lives in. */
  readonly workspaceRoot?: string;
  /** Defaults to `<workspaceRoot>/services/realtime-service`. */
  readonly templateDir?: string;
}

export interface ServicePlan {
  readonly name: string;
  /** Absolute. */
  readonly directory: string;
  /** Relative to the workspace root, POSIX separators. */
  readonly targetPath: string;
  readonly files: readonly RenderedFile[];
}

export interface GeneratedService {
  readonly name: string;
  readonly directory: string;
  /** Relative to `directory`. */
  readonly files: readonly string[];
}

/** tools/service-generator/dist/ → the workspace root. */
const defaultWorkspaceRoot = (): string =>
  fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

const toPosix = (path: string): string => path.split(sep).join(posix.sep);

/** The package.json of every workspace package (root `workspaces` globs of the form `dir/*` or `dir`). */
function workspacePackages(root: string): { dir: string; name?: string; nxName?: string }[] {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const dirs = (rootManifest.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name));
  });
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        nx?: { name?: string };
      };
      return { dir, name: manifest.name, nxName: manifest.nx?.name };
    });
}

/**
 * What `generateService` would write, without writing: validates the name (and that no workspace
 * package or nx project has it) and the target, renders every file of the template and formats
 * it with the workspace's prettier settings.
 */
export async function planService(options: GenerateServiceOptions): Promise<ServicePlan> {
  const name = checkServiceName(options.name);
  const root = resolve(options.workspaceRoot ?? defaultWorkspaceRoot());
  const templateDir = resolve(options.templateDir ?? join(root, 'services', templateName));
  if (!existsSync(join(templateDir, 'package.json')))
    throw generatorErrors.TEMPLATE_MISSING({ directory: templateDir });
  const directory = resolve(
    isAbsolute(options.directory ?? '') ? (options.directory as string) : root,
    isAbsolute(options.directory ?? '') ? '.' : (options.directory ?? join('services', name)),
  );
  if (existsSync(directory) && readdirSync(directory).length > 0)
    throw generatorErrors.TARGET_EXISTS({ directory });
  const taken = workspacePackages(root).find(
    (pkg) => pkg.name === `@realtime-platform/${name}` || pkg.nxName === name,
  );
  if (taken !== undefined) throw generatorErrors.NAME_TAKEN({ name, by: taken.dir });
  const targetPath = toPosix(relative(root, directory));
  const rendered = renderService({
    templateDir,
    name,
    targetPath,
    templatePath: toPosix(relative(root, templateDir)),
  });
  return { name, directory, targetPath, files: await formatRendered(rendered, directory) };
}

/**
 * Copies the realtime-service template to `services/<name>` (or `directory`) with the name
 * replaced everywhere: package and nx project name, README, image target, default service name,
 * PostgreSQL schema, error code prefix, identifiers. `node_modules`, `dist` and other build
 * output are not copied. Run `npm install` afterwards to link the new workspace package.
 */
export async function generateService(options: GenerateServiceOptions): Promise<GeneratedService> {
  const plan = await planService(options);
  for (const file of plan.files) {
    const path = join(plan.directory, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return { name: plan.name, directory: plan.directory, files: plan.files.map((f) => f.path) };
}
