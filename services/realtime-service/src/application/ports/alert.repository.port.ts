import type { Alert, DeviceId } from '../../domain/index.js';

export interface RecentAlertsQuery {
  /** At most this many, newest first. */
  readonly limit: number;
  /** Only alerts raised at or after this instant (epoch milliseconds). */
  readonly since?: number;
  readonly deviceId?: DeviceId;
  /** Only alerts of these devices (what the caller may see); absent: every device. */
  readonly deviceIds?: readonly DeviceId[];
}

/** Where alerts are kept. */
export interface AlertRepository {
  /**
   * Stores `alert`; storing an alert with the same id again changes nothing (redeliveries).
   * Resolves true when it was new. Rejects with a retriable coded error when the store is down.
   */
  save(alert: Alert): Promise<boolean>;
  /** Newest first (by `raisedAt`, then id). */
  listRecent(query: RecentAlertsQuery): Promise<Alert[]>;
}
