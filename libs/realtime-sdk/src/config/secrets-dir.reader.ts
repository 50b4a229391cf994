import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  secretCatalog,
  type SecretDefinition,
  type SecretKeyDefinition,
} from '@realtime-platform/platform-contract';
import { sdkErrors } from '../sdk.errors.js';

/** Values read from a mounted secrets directory, and which directory each secret came from. */
export interface SecretsDirContent {
  readonly values: Readonly<Record<string, string>>;
  /** `secret suffix → directory` for the secrets found. */
  readonly directories: Readonly<Record<string, string>>;
}

const exists = (path: string): boolean => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

function listDirectories(root: string): string[] {
  try {
    return (
      readdirSync(root, { withFileTypes: true })
        // Kubernetes projects `..data` and timestamped `..2024_…` directories next to the keys.
        .filter((entry) => !entry.name.startsWith('..'))
        .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
        .map((entry) => entry.name)
    );
  } catch (error) {
    throw sdkErrors.CONFIG_SECRETS_DIR_UNREADABLE(
      { path: root, reason: (error as Error).message },
      { cause: error },
    );
  }
}

/** The directory of one secret: `<root>/{platformName}-<suffix>`, or the only `*-<suffix>`. */
function secretDirectory(
  root: string,
  entries: readonly string[],
  secret: SecretDefinition,
  platformName: string | undefined,
): string | undefined {
  if (platformName !== undefined) {
    const name = `${platformName}-${secret.suffix}`;
    return entries.includes(name) ? join(root, name) : undefined;
  }
  const candidates = entries.filter((entry) => entry.endsWith(`-${secret.suffix}`));
  if (candidates.length > 1) {
    throw sdkErrors.CONFIG_SECRETS_DIR_AMBIGUOUS({
      path: root,
      secret: `{name}-${secret.suffix}`,
      candidates,
    });
  }
  return candidates[0] === undefined ? undefined : join(root, candidates[0]);
}

/**
 * Reads `<root>/<secret-name>/<KEY>` for the keys of the five platform secrets (a Kubernetes
 * secret volume: one file per key). Only catalogue keys are read, so other files are ignored.
 * One trailing newline is stripped (files written by hand with `echo`); nothing else is changed.
 * A missing root yields nothing: deployments that only use `envFrom` need no volume.
 */
export function readSecretsDir(root: string, platformName?: string): SecretsDirContent {
  if (!exists(root)) return { values: {}, directories: {} };
  const entries = listDirectories(root);
  const values: Record<string, string> = {};
  const directories: Record<string, string> = {};
  for (const secret of secretCatalog as readonly SecretDefinition[]) {
    const directory = secretDirectory(root, entries, secret, platformName);
    if (directory === undefined) continue;
    directories[secret.suffix] = directory;
    for (const key of secret.keys as readonly SecretKeyDefinition[]) {
      const file = join(directory, key.key);
      if (!exists(file)) continue;
      try {
        values[key.key] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        throw sdkErrors.CONFIG_SECRETS_DIR_UNREADABLE(
          { path: file, reason: (error as Error).message },
          { cause: error },
        );
      }
    }
  }
  return { values, directories };
}
