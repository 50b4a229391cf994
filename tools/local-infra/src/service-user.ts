import { chownSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessIdentity {
  uid: number;
  gid: number;
}

/**
 * When we run as root (CI does), servers that refuse root (PostgreSQL) or drop privileges by
 * themselves (Mosquitto) run as their Debian system user instead. Otherwise: undefined, run as us.
 */
export function serviceUser(name: string): ProcessIdentity | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Give a run directory to the identity the server runs as. */
export function chownTree(path: string, identity: ProcessIdentity | undefined): void {
  if (!identity) return;
  chownSync(path, identity.uid, identity.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), identity);
}
