import type pg from 'pg';
import type { AlertRepository, RecentAlertsQuery } from '../../application/index.js';
import {
  Alert,
  type AlertSeverity,
  type BreachDirection,
  type VitalKind,
  type VitalMetric,
} from '../../domain/index.js';
import { databaseError } from './postgres.errors.js';

interface AlertRow {
  id: string;
  device_id: string;
  rule_id: string;
  kind: string;
  metric: string;
  value: number;
  threshold: number;
  direction: string;
  severity: string;
  message: string;
  recorded_at: Date;
  raised_at: Date;
}

const columns =
  'id, device_id, rule_id, kind, metric, value, threshold, direction, severity, message, recorded_at, raised_at';

/**
 * Alerts in PostgreSQL (table `alerts` of the service's schema; the pool's search_path points
 * there). Times are `timestamptz` written and read as JS Dates, so milliseconds survive exactly.
 */
export class PostgresAlertRepository implements AlertRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(alert: Alert): Promise<boolean> {
    const a = alert.toProps();
    try {
      const result = await this.pool.query(
        `INSERT INTO alerts (${columns})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO NOTHING`,
        [
          a.id,
          a.deviceId,
          a.ruleId,
          a.kind,
          a.metric,
          a.value,
          a.threshold,
          a.direction,
          a.severity,
          a.message,
          new Date(a.recordedAt),
          new Date(a.raisedAt),
        ],
      );
      return result.rowCount === 1;
    } catch (error) {
      throw databaseError('save alert', error);
    }
  }

  async listRecent(query: RecentAlertsQuery): Promise<Alert[]> {
    let rows: AlertRow[];
    try {
      ({ rows } = await this.pool.query<AlertRow>(
        `SELECT ${columns} FROM alerts
         WHERE ($1::timestamptz IS NULL OR raised_at >= $1)
           AND ($2::text IS NULL OR device_id = $2)
           AND ($4::text[] IS NULL OR device_id = ANY($4))
         ORDER BY raised_at DESC, id DESC
         LIMIT $3`,
        [
          query.since === undefined ? null : new Date(query.since),
          query.deviceId ?? null,
          query.limit,
          query.deviceIds === undefined ? null : [...query.deviceIds],
        ],
      ));
    } catch (error) {
      throw databaseError('list alerts', error);
    }
    return rows.map((row) =>
      Alert.restore({
        id: row.id,
        deviceId: row.device_id,
        ruleId: row.rule_id,
        kind: row.kind as VitalKind,
        metric: row.metric as VitalMetric,
        value: row.value,
        threshold: row.threshold,
        direction: row.direction as BreachDirection,
        severity: row.severity as AlertSeverity,
        message: row.message,
        recordedAt: row.recorded_at.getTime(),
        raisedAt: row.raised_at.getTime(),
      }),
    );
  }
}
