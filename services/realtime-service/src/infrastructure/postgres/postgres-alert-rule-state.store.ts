import type pg from 'pg';
import type { AlertRuleStateStore, RecordedRuleTransition } from '../../application/index.js';
import type { RuleTrip } from '../../domain/index.js';
import { databaseError } from './postgres.errors.js';

/**
 * The alert rules' state in PostgreSQL (table `alert_rule_state` of the service's schema). A
 * transition overwrites a pair's row only when its measurement is newer, so a redelivered older
 * record can never flip a newer state back.
 */
export class PostgresAlertRuleStateStore implements AlertRuleStateStore {
  constructor(private readonly pool: pg.Pool) {}

  async tripped(): Promise<RuleTrip[]> {
    try {
      const { rows } = await this.pool.query<{ rule_id: string; device_id: string }>(
        'SELECT rule_id, device_id FROM alert_rule_state WHERE tripped',
      );
      return rows.map((row) => ({ ruleId: row.rule_id, deviceId: row.device_id }));
    } catch (error) {
      throw databaseError('load alert rule state', error);
    }
  }

  async record(batch: readonly RecordedRuleTransition[]): Promise<void> {
    // One row per pair: ON CONFLICT cannot touch a row twice in one statement, so a batch with
    // two transitions of the same pair keeps only its latest (the later one of equal times).
    const latest = new Map<string, RecordedRuleTransition>();
    for (const t of batch) {
      const key = JSON.stringify([t.ruleId, t.deviceId]);
      const kept = latest.get(key);
      if (kept === undefined || kept.recordedAt <= t.recordedAt) latest.set(key, t);
    }
    const transitions = [...latest.values()];
    if (transitions.length === 0) return;
    try {
      await this.pool.query(
        `INSERT INTO alert_rule_state (rule_id, device_id, tripped, recorded_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::timestamptz[])
         ON CONFLICT (rule_id, device_id) DO UPDATE
           SET tripped = EXCLUDED.tripped, recorded_at = EXCLUDED.recorded_at
           WHERE alert_rule_state.recorded_at <= EXCLUDED.recorded_at`,
        [
          transitions.map((t) => t.ruleId),
          transitions.map((t) => t.deviceId),
          transitions.map((t) => t.tripped),
          transitions.map((t) => new Date(t.recordedAt)),
        ],
      );
    } catch (error) {
      throw databaseError('record alert rule state', error);
    }
  }
}
