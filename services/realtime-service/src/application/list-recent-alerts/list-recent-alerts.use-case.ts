import { parseDeviceId, type Alert } from '../../domain/index.js';
import { applicationErrors } from '../application.errors.js';
import type { AlertRepository, RecentAlertsQuery } from '../ports/index.js';

export interface ListRecentAlertsInput {
  readonly limit?: number;
  /** Epoch milliseconds. */
  readonly since?: number;
  readonly deviceId?: string;
  /** Restricts the list to these devices (the devices the caller is granted); absent: all. */
  readonly deviceIds?: readonly string[];
}

export const alertListLimits = { default: 50, max: 500 } as const;

/** The newest alerts, optionally since an instant, of one device or of a set of devices. */
export class ListRecentAlertsUseCase {
  constructor(private readonly alerts: AlertRepository) {}

  execute(input: ListRecentAlertsInput = {}): Promise<Alert[]> {
    const limit = input.limit ?? alertListLimits.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > alertListLimits.max)
      throw applicationErrors.QUERY_INVALID({
        reason: `limit must be an integer from 1 to ${alertListLimits.max}`,
      });
    if (input.since !== undefined && !Number.isFinite(input.since))
      throw applicationErrors.QUERY_INVALID({ reason: 'since must be a time' });
    const query: RecentAlertsQuery = {
      limit,
      ...(input.since === undefined ? {} : { since: input.since }),
      ...(input.deviceId === undefined ? {} : { deviceId: parseDeviceId(input.deviceId) }),
      ...(input.deviceIds === undefined ? {} : { deviceIds: input.deviceIds.map(parseDeviceId) }),
    };
    // No device to look at: nothing to ask the store.
    if (query.deviceIds !== undefined && query.deviceIds.length === 0) return Promise.resolve([]);
    return this.alerts.listRecent(query);
  }
}
