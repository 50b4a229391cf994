import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '@realtime-platform/app-render';
import { renderStages, type ManifestFile } from './manifest-layout.js';

/** Mode of a written Secret: it holds credentials, so only its owner may read it. */
export const secretFileMode = 0o600;

/** A Kubernetes Secret (core v1): its data are credentials. */
export const isSecret = (object: KubeObject): boolean =>
  object.kind === 'Secret' && object.apiVersion === 'v1';

/** One multi-document YAML stream, each document headed by `# Source: <path>` (as helm does). */
export function manifestStream(files: readonly ManifestFile[]): string {
  return files.map((file) => `---\n# Source: ${file.path}\n${stringify(file.object)}`).join('');
}

/**
 * Writes one file per object under `dir`. The stage folders are replaced, so a file of an earlier
 * render never survives as if it were part of this one; anything else in `dir` is left alone.
 * Secrets (generated passwords, keys) get mode 0600 whatever the umask: the files of a render
 * often land in a shared checkout or CI workspace. Returns how many Secrets it wrote.
 */
export function writeManifestDirectory(
  dir: string,
  files: readonly ManifestFile[],
): { secrets: number } {
  mkdirSync(dir, { recursive: true });
  for (const stage of Object.values(renderStages)) {
    rmSync(join(dir, stage), { recursive: true, force: true });
  }
  let secrets = 0;
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    if (isSecret(file.object)) {
      // Created with the mode (never readable by others, not even for a moment); chmod because
      // the umask may have narrowed it further and the mode must be exactly 0600.
      writeFileSync(path, stringify(file.object), { mode: secretFileMode });
      chmodSync(path, secretFileMode);
      secrets += 1;
    } else {
      writeFileSync(path, stringify(file.object));
    }
  }
  return { secrets };
}
