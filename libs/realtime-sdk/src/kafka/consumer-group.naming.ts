import { randomBytes } from 'node:crypto';

/**
 * The group id of a broadcast consumer: `<base>-<instance>-<random>`. Unique per process start, so
 * every replica (and every restart) gets all partitions of its topics. The random part keeps two
 * processes with the same host name (a restarted pod that kept its name, two local runs) apart.
 */
export function broadcastGroupId(
  base: string,
  instanceId: string,
  random = randomBytes(4).toString('hex'),
): string {
  const instance = instanceId
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, 100);
  return `${base}-${instance}-${random}`;
}
