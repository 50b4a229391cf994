import { RealtimePlatformError } from '@realtime-platform/errors';
import type {
  AlertPublisher,
  AlertRepository,
  AlertRuleStateStore,
  Clock,
  LiveFeed,
  RecentAlertsQuery,
  RecordedRuleTransition,
} from '../../src/application/index.js';
import type { Alert, RuleTrip, VitalSign } from '../../src/domain/index.js';

/** Alerts in a Map, with the same contract as the PostgreSQL repository. */
export class InMemoryAlertRepository implements AlertRepository {
  readonly alerts = new Map<string, Alert>();
  /** Fail the next N saves with a retriable error (a store that is down). */
  failNextSaves = 0;

  async save(alert: Alert): Promise<boolean> {
    if (this.failNextSaves > 0) {
      this.failNextSaves -= 1;
      throw new RealtimePlatformError('TEST_STORE_DOWN', 'store is down', { retriable: true });
    }
    if (this.alerts.has(alert.id)) return false;
    this.alerts.set(alert.id, alert);
    return true;
  }

  async listRecent(query: RecentAlertsQuery): Promise<Alert[]> {
    return [...this.alerts.values()]
      .filter((a) => query.since === undefined || a.raisedAt >= query.since)
      .filter((a) => query.deviceId === undefined || a.deviceId === query.deviceId)
      .filter((a) => query.deviceIds === undefined || query.deviceIds.includes(a.deviceId))
      .sort((a, b) => b.raisedAt - a.raisedAt || b.id.localeCompare(a.id))
      .slice(0, query.limit);
  }
}

/** The rules' state in a Map, with the same contract as the PostgreSQL store (latest wins). */
export class InMemoryAlertRuleStateStore implements AlertRuleStateStore {
  readonly rows = new Map<string, RecordedRuleTransition>();
  failNextRecords = 0;

  async tripped(): Promise<RuleTrip[]> {
    return [...this.rows.values()]
      .filter((row) => row.tripped)
      .map(({ ruleId, deviceId }) => ({ ruleId, deviceId }));
  }

  async record(transitions: readonly RecordedRuleTransition[]): Promise<void> {
    if (this.failNextRecords > 0) {
      this.failNextRecords -= 1;
      throw new RealtimePlatformError('TEST_STORE_DOWN', 'store is down', { retriable: true });
    }
    for (const transition of transitions) {
      const key = `${transition.ruleId}\u0000${transition.deviceId}`;
      const current = this.rows.get(key);
      if (current === undefined || current.recordedAt <= transition.recordedAt)
        this.rows.set(key, transition);
    }
  }
}

export class RecordingAlertPublisher implements AlertPublisher {
  readonly published: Alert[] = [];
  failNextPublishes = 0;

  async publish(alert: Alert): Promise<void> {
    if (this.failNextPublishes > 0) {
      this.failNextPublishes -= 1;
      throw new RealtimePlatformError('TEST_BROKER_DOWN', 'broker is down', { retriable: true });
    }
    this.published.push(alert);
  }
}

export class RecordingLiveFeed implements LiveFeed {
  readonly vitals: VitalSign[] = [];
  readonly alerts: Alert[] = [];
  publishVital(vital: VitalSign): void {
    this.vitals.push(vital);
  }
  publishAlert(alert: Alert): void {
    this.alerts.push(alert);
  }
}

export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
}
