import type mysql from 'mysql2/promise';
import type { AlertRuleStateStore, RecordedRuleTransition } from '../../application/index.js';
import type { RuleTrip } from '../../domain/index.js';
import { mysqlError } from './mysql.errors.js';

/**
 * The alert rules' state in MySQL (table `<prefix>_alert_rule_state`). A transition overwrites a
 * pair's row only when its measurement is newer: ON DUPLICATE KEY UPDATE assigns left to right,
 * so `tripped` is decided against the old `recorded_at` before that one moves. VALUES() names the
 * inserted row: deprecated in MySQL 8.0.20 but still served by 8.4, and MariaDB has no `AS new`
 * row alias, so it is the form both servers run.
 */
export class MysqlAlertRuleStateStore implements AlertRuleStateStore {
  private readonly table: string;

  constructor(
    private readonly pool: mysql.Pool,
    prefix: string,
  ) {
    this.table = `\`${prefix}_alert_rule_state\``;
  }

  async tripped(): Promise<RuleTrip[]> {
    try {
      const [rows] = await this.pool.query<mysql.RowDataPacket[]>(
        `SELECT rule_id, device_id FROM ${this.table} WHERE tripped`,
      );
      return rows.map((row) => ({
        ruleId: row.rule_id as string,
        deviceId: row.device_id as string,
      }));
    } catch (error) {
      throw mysqlError('load alert rule state', error);
    }
  }

  async record(transitions: readonly RecordedRuleTransition[]): Promise<void> {
    if (transitions.length === 0) return;
    try {
      await this.pool.query(
        `INSERT INTO ${this.table} (rule_id, device_id, tripped, recorded_at) VALUES ?
         ON DUPLICATE KEY UPDATE
           tripped = IF(recorded_at <= VALUES(recorded_at), VALUES(tripped), tripped),
           recorded_at = GREATEST(recorded_at, VALUES(recorded_at))`,
        [transitions.map((t) => [t.ruleId, t.deviceId, t.tripped, new Date(t.recordedAt)])],
      );
    } catch (error) {
      throw mysqlError('record alert rule state', error);
    }
  }
}
