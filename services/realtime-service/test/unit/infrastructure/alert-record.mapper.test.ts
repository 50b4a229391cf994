import { describe, expect, it } from '@jest/globals';
import { Alert } from '../../../src/domain/index.js';
import {
  alertColumns,
  alertFromRecord,
  alertFromRow,
  alertRowValues,
  toAlertRecord,
  type AlertRow,
} from '../../../src/infrastructure/database/alert-record.mapper.js';

const alert = Alert.restore({
  id: 'tachycardia/1767225600123/bed-3',
  deviceId: 'bed-3',
  ruleId: 'tachycardia',
  kind: 'heart_rate',
  metric: 'heartRate',
  value: 131,
  threshold: 120,
  direction: 'above',
  severity: 'critical',
  message: 'heartRate 131 bpm is above 120 bpm',
  recordedAt: 1767225600123,
  raisedAt: 1767225600456,
});

describe('alert records (what every engine stores of an alert)', () => {
  it('keeps every field, the instants as Dates with their milliseconds', () => {
    const record = toAlertRecord(alert);
    expect(record.recordedAt).toEqual(new Date(1767225600123));
    expect(record.raisedAt).toEqual(new Date(1767225600456));
    expect(alertFromRecord(record).toProps()).toEqual(alert.toProps());
  });

  it("gives the SQL INSERT's values in the order of the columns, and reads the row back", () => {
    const values = alertRowValues(alert);
    const columns = alertColumns.split(', ');
    expect(values).toHaveLength(columns.length);
    const row = Object.fromEntries(columns.map((column, i) => [column, values[i]]));
    expect(row).toMatchObject({
      id: alert.toProps().id,
      device_id: 'bed-3',
      rule_id: 'tachycardia',
    });
    expect(alertFromRow(row as unknown as AlertRow).toProps()).toEqual(alert.toProps());
  });

  it('refuses a stored alert the domain would not have written (ALERT_INVALID)', () => {
    expect(() => alertFromRecord({ ...toAlertRecord(alert), kind: 'mood' })).toThrow(
      expect.objectContaining({ code: 'RTP_ERR_REALTIME_SERVICE_ALERT_INVALID' }),
    );
  });
});
