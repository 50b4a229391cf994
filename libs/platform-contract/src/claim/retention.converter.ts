import { contractErrors } from '../contract.errors.js';

/** The requirements' pattern for `dataRetention` (and for `topics[].retention`). */
export const retentionPattern = '^[0-9]+[dwm]$';

const dayMs = 24 * 60 * 60 * 1000;

/** Milliseconds per unit. A month is 30 days: Kafka retention needs a fixed length. */
export const retentionUnitMs = { d: dayMs, w: 7 * dayMs, m: 30 * dayMs } as const;

/**
 * Converts a retention such as `7d`, `2w` or `6m` to Kafka's `retention.ms`.
 * `7d` → 604800000. A month counts 30 days, so `1m` → 2592000000.
 *
 * @throws RTP_ERR_CONTRACT_RETENTION_MALFORMED when the value does not match `^[0-9]+[dwm]$`
 * @throws RTP_ERR_CONTRACT_RETENTION_TOO_LONG beyond Number.MAX_SAFE_INTEGER milliseconds
 */
export function retentionToMs(retention: string): number {
  if (typeof retention !== 'string' || !new RegExp(retentionPattern).test(retention)) {
    throw contractErrors.RETENTION_MALFORMED({ value: String(retention) });
  }
  const unit = retention.slice(-1) as keyof typeof retentionUnitMs;
  const ms = Number(retention.slice(0, -1)) * retentionUnitMs[unit];
  if (!Number.isSafeInteger(ms)) throw contractErrors.RETENTION_TOO_LONG({ value: retention });
  return ms;
}
