import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set by tools/config/jest-environment.js: the run directories made in this test file. */
const RUN_DIRS_KEY = '__rtpRunDirs';

/**
 * A fresh directory for one server's config, data and log. Under jest it is registered with the
 * test environment, which removes it after a file whose tests all passed (a failed file's
 * directories stay, for their logs; RTP_KEEP_RUN_DIRS=1 keeps all): a machine that runs CI
 * again and again does not fill its disk with brokers' data. Override the parent with RTP_RUN_DIR.
 */
export function makeRunDir(service: string): string {
  const dir = mkdtempSync(join(process.env.RTP_RUN_DIR ?? tmpdir(), `rtp-${service}-`));
  const registered = (globalThis as Record<string, unknown>)[RUN_DIRS_KEY];
  if (Array.isArray(registered)) registered.push(dir);
  return dir;
}
