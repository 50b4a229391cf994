import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { renderStages, type ManifestFile } from './manifest-layout.js';

/** One multi-document YAML stream, each document headed by `# Source: <path>` (as helm does). */
export function manifestStream(files: readonly ManifestFile[]): string {
  return files.map((file) => `---\n# Source: ${file.path}\n${stringify(file.object)}`).join('');
}

/**
 * Writes one file per object under `dir`. The stage folders are replaced, so a file of an earlier
 * render never survives as if it were part of this one; anything else in `dir` is left alone.
 */
export function writeManifestDirectory(dir: string, files: readonly ManifestFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const stage of Object.values(renderStages)) {
    rmSync(join(dir, stage), { recursive: true, force: true });
  }
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, stringify(file.object));
  }
}
