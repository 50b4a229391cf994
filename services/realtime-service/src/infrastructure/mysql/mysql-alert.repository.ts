import type mysql from 'mysql2/promise';
import type { AlertRepository, RecentAlertsQuery } from '../../application/index.js';
import type { Alert } from '../../domain/index.js';
import {
  alertColumns as columns,
  alertFromRow,
  alertRowValues,
  type AlertRow,
} from '../database/alert-record.mapper.js';
import { mysqlError } from './mysql.errors.js';

interface MysqlAlertRow extends mysql.RowDataPacket, AlertRow {}

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
    try {
      // A duplicate id changes nothing (redeliveries) and reports 0 affected rows (no FOUND_ROWS).
      // Not INSERT IGNORE, which would also turn a CHECK violation into a warning.
      const [result] = await this.pool.query<mysql.ResultSetHeader>(
        `INSERT INTO ${this.table} (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE id = id`,
        alertRowValues(alert),
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
    let rows: MysqlAlertRow[];
    try {
      [rows] = await this.pool.query<MysqlAlertRow[]>(
        `SELECT ${columns} FROM ${this.table}
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY raised_at DESC, id DESC
         LIMIT ?`,
        [...params, query.limit],
      );
    } catch (error) {
      throw mysqlError('list alerts', error);
    }
    return rows.map(alertFromRow);
  }
}
