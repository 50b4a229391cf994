import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory for one server's config, data and log. Kept after stop() so a failed
 * suite's logs can be read; the OS cleans tmp. Override the parent with RTP_RUN_DIR.
 */
export function makeRunDir(service: string): string {
  return mkdtempSync(join(process.env.RTP_RUN_DIR ?? tmpdir(), `rtp-${service}-`));
}
