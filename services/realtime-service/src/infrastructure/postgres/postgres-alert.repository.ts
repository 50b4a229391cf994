import type pg from 'pg';
import type { AlertRepository, RecentAlertsQuery } from '../../application/index.js';
import type { Alert } from '../../domain/index.js';
import {
  alertColumns as columns,
  alertFromRow,
  alertRowValues,
  type AlertRow,
} from '../database/alert-record.mapper.js';
import { databaseError } from './postgres.errors.js';

/**
 * Alerts in PostgreSQL (table `alerts` of the service's schema; the pool's search_path points
 * there). Times are `timestamptz` written and read as JS Dates, so milliseconds survive exactly.
 */
export class PostgresAlertRepository implements AlertRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(alert: Alert): Promise<boolean> {
    try {
      const result = await this.pool.query(
        `INSERT INTO alerts (${columns})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO NOTHING`,
        alertRowValues(alert),
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
    return rows.map(alertFromRow);
  }
}
