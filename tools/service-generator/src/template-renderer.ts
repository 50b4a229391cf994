import { readFileSync, readdirSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { nameVariants, templateName, type NameVariants } from './service-name.js';

/** Copied as they are: lines holding this marker (a note about the template itself). */
export const keepLineMarker = 'generator:keep-line';

/** Never copied: installed, built or machine-local files. */
const excluded = [/^node_modules$/, /^dist$/, /^coverage$/, /\.tsbuildinfo$/, /^\.tmp/, /\.log$/];

/** Config files that reach the workspace root with relative paths (`../../tsconfig.base.json`). */
const rootRelativeFiles = new Set([
  'tsconfig.json',
  'tsconfig.build.json',
  'jest.config.js',
  'eslint.config.js',
]);

export interface RenderedFile {
  /** Relative to the new service's directory, POSIX separators. */
  readonly path: string;
  readonly content: Buffer;
}

export interface RenderOptions {
  /** The template's folder (services/realtime-service). */
  readonly templateDir: string;
  /** The new service's name (checked by the caller). */
  readonly name: string;
  /** The new service's folder relative to the workspace root, POSIX separators. */
  readonly targetPath: string;
  /** The template's folder relative to the workspace root (services/realtime-service). */
  readonly templatePath: string;
}

function* templateFiles(dir: string, base = dir): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (excluded.some((pattern) => pattern.test(entry.name))) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* templateFiles(path, base);
    else if (entry.isFile()) yield relative(base, path).split(sep).join(posix.sep);
  }
}

/** Replaces every spelling of the template's name, the template's path and root-relative paths. */
export function renameText(text: string, file: string, options: RenderOptions): string {
  const from = nameVariants(templateName);
  const to = nameVariants(options.name);
  const depth = options.targetPath.split('/').filter(Boolean).length;
  const toRoot = Array.from({ length: depth }, () => '..').join('/');
  const rename = (line: string): string => {
    if (line.includes(keepLineMarker)) return line;
    let out = line.split(options.templatePath).join(options.targetPath);
    for (const key of ['kebab', 'snake', 'upperSnake', 'pascal', 'camel'] as const)
      out = out.split(from[key]).join(to[key]);
    return out;
  };
  let out = text.split('\n').map(rename).join('\n');
  if (rootRelativeFiles.has(file))
    out = out.replace(/(?:\.\.\/){2}(?=tsconfig\.base\.json|tools\/)/g, `${toRoot}/`);
  return out;
}

/** Every file of the new service, renamed (binary files are copied unchanged). */
export function renderService(options: RenderOptions): RenderedFile[] {
  return [...templateFiles(options.templateDir)].sort().map((path) => {
    const bytes = readFileSync(join(options.templateDir, path));
    if (bytes.includes(0)) return { path, content: bytes };
    const text = renameText(bytes.toString('utf8'), path, options);
    return { path: renameText(path, '', options), content: Buffer.from(text) };
  });
}

export type { NameVariants };
