import {
  Alert,
  type AlertSeverity,
  type BreachDirection,
  type VitalKind,
  type VitalMetric,
} from '../../domain/index.js';

/**
 * An alert as every engine stores it: the domain's fields, its two instants as Dates (every
 * driver here writes and reads them with their milliseconds exact). Each adapter keeps only its
 * dialect: the SQL adapters the snake_case row below, MongoDB the id as `_id`.
 */
export interface AlertRecord {
  id: string;
  deviceId: string;
  ruleId: string;
  kind: string;
  metric: string;
  value: number;
  threshold: number;
  direction: string;
  severity: string;
  message: string;
  recordedAt: Date;
  raisedAt: Date;
}

export function toAlertRecord(alert: Alert): AlertRecord {
  const a = alert.toProps();
  return {
    id: a.id,
    deviceId: a.deviceId,
    ruleId: a.ruleId,
    kind: a.kind,
    metric: a.metric,
    value: a.value,
    threshold: a.threshold,
    direction: a.direction,
    severity: a.severity,
    message: a.message,
    recordedAt: new Date(a.recordedAt),
    raisedAt: new Date(a.raisedAt),
  };
}

/** The stored alert back as the domain's: Alert.restore checks every field (ALERT_INVALID). */
export function alertFromRecord(record: AlertRecord): Alert {
  return Alert.restore({
    id: record.id,
    deviceId: record.deviceId,
    ruleId: record.ruleId,
    kind: record.kind as VitalKind,
    metric: record.metric as VitalMetric,
    value: record.value,
    threshold: record.threshold,
    direction: record.direction as BreachDirection,
    severity: record.severity as AlertSeverity,
    message: record.message,
    recordedAt: record.recordedAt.getTime(),
    raisedAt: record.raisedAt.getTime(),
  });
}

/** A row of the SQL `alerts` table (PostgreSQL and MySQL declare the same columns). */
export interface AlertRow {
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

/** The columns of the SQL `alerts` table, in the order of alertRowValues. */
export const alertColumns =
  'id, device_id, rule_id, kind, metric, value, threshold, direction, severity, message, recorded_at, raised_at';

/** The values of an INSERT into alertColumns, in their order. */
export function alertRowValues(alert: Alert): unknown[] {
  const r = toAlertRecord(alert);
  return [
    r.id,
    r.deviceId,
    r.ruleId,
    r.kind,
    r.metric,
    r.value,
    r.threshold,
    r.direction,
    r.severity,
    r.message,
    r.recordedAt,
    r.raisedAt,
  ];
}

export function alertFromRow(row: AlertRow): Alert {
  return alertFromRecord({
    id: row.id,
    deviceId: row.device_id,
    ruleId: row.rule_id,
    kind: row.kind,
    metric: row.metric,
    value: row.value,
    threshold: row.threshold,
    direction: row.direction,
    severity: row.severity,
    message: row.message,
    recordedAt: row.recorded_at,
    raisedAt: row.raised_at,
  });
}
