import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Root of the tool cache, outside the repository so clones and CI runs share it.
 * Mirrors scripts/install.sh (test/cache-dir.test.ts checks both agree).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RTP_CACHE_DIR) return env.RTP_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'realtime-platform');
}
