import type mysql from 'mysql2/promise';
import type { AlertRepository, RecentAlertsQuery } from '../../application/index.js';
import {
  Alert,
  type AlertSeverity,
  type BreachDirection,
  type VitalKind,
  type VitalMetric,
} from '../../domain/index.js';
import { mysqlError } from './mysql.errors.js';

interface AlertRow extends mysql.RowDataPacket {
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

/** Alerts in MySQL (table `<prefix>_alerts`, see migrations/mysql). */
export class MysqlAlertRepository implements AlertRepository {
  private readonly table: string;

  constructor(
    private readonly pool: mysql.Pool,
    prefix: string,
  ) {
    this.table = `\`${prefix}_alerts\``;
  }

  async save(alert: Alert): Promise<boolean> {
    const a = alert.toProps();
    try {
      // A duplicate id changes nothing (redeliveries) and reports 0 affected rows (no FOUND_ROWS).
      // Not INSERT IGNORE, which would also turn a CHECK violation into a warning.
      const [result] = await this.pool.query<mysql.ResultSetHeader>(
        `INSERT INTO ${this.table} (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE id = id`,
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
      return result.affectedRows === 1;
    } catch (error) {
      throw mysqlError('save alert', error);
    }
  }

  async listRecent(query: RecentAlertsQuery): Promise<Alert[]> {
    if (query.deviceIds !== undefined && query.deviceIds.length === 0) return [];
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.since !== undefined) {
      where.push('raised_at >= ?');
      params.push(new Date(query.since));
    }
    if (query.deviceId !== undefined) {
      where.push('device_id = ?');
      params.push(query.deviceId);
    }
    if (query.deviceIds !== undefined) {
      // The devices a token grants, in SQL (never filtered after the LIMIT).
      where.push('device_id IN (?)');
      params.push([...query.deviceIds]);
    }
    let rows: AlertRow[];
    try {
      [rows] = await this.pool.query<AlertRow[]>(
        `SELECT ${columns} FROM ${this.table}
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY raised_at DESC, id DESC
         LIMIT ?`,
        [...params, query.limit],
      );
    } catch (error) {
      throw mysqlError('list alerts', error);
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
