import { describe, expect, it } from '@jest/globals';
import { Alert, AlertRule, alertId, domainErrors } from '../../../src/domain/index.js';
import { heartRateOf, t0 } from '../../helpers/vitals.fixture.js';

const rule = AlertRule.create({
  id: 'heart-rate',
  metric: 'heartRate',
  max: 130,
  severity: 'critical',
});

describe('Alert', () => {
  it('is raised from a breach with a deterministic id and a readable message', () => {
    const reading = heartRateOf(190, { deviceId: 'bed-7' });
    const alert = Alert.raise(rule.check(reading)!, reading, t0 + 5);
    expect(alert.toProps()).toEqual({
      id: `heart-rate/${t0}/bed-7`,
      deviceId: 'bed-7',
      ruleId: 'heart-rate',
      kind: 'heart_rate',
      metric: 'heartRate',
      value: 190,
      threshold: 130,
      direction: 'above',
      severity: 'critical',
      message: 'heartRate 190 bpm is above 130 bpm',
      recordedAt: t0,
      raisedAt: t0 + 5,
    });
  });

  it('is restored from its properties, checking them', () => {
    const reading = heartRateOf(190);
    const props = Alert.raise(rule.check(reading)!, reading, t0).toProps();
    expect(Alert.restore(props).toProps()).toEqual(props);
    expect(() => Alert.restore({ ...props, id: alertId('other', t0, 'device-1') })).toThrow(
      expect.objectContaining({ code: domainErrors.ALERT_INVALID.code }),
    );
    expect(() => Alert.restore({ ...props, direction: 'sideways' as never })).toThrow(/direction/);
  });
});
