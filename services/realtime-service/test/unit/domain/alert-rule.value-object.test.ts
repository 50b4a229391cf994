import { describe, expect, it } from '@jest/globals';
import {
  AlertRule,
  createAlertRules,
  defaultAlertRules,
  domainErrors,
} from '../../../src/domain/index.js';
import { heartRateOf, vital } from '../../helpers/vitals.fixture.js';

const heartRate = AlertRule.create({ id: 'hr', metric: 'heartRate', min: 40, max: 130 });

describe('AlertRule', () => {
  it('trips above max and below min, naming the bound it crossed', () => {
    expect(heartRate.check(heartRateOf(131))).toMatchObject({
      value: 131,
      threshold: 130,
      direction: 'above',
    });
    expect(heartRate.check(heartRateOf(39))).toMatchObject({
      value: 39,
      threshold: 40,
      direction: 'below',
    });
  });

  it('does not trip on a bound or between the bounds', () => {
    for (const bpm of [40, 72, 130]) expect(heartRate.check(heartRateOf(bpm))).toBeUndefined();
  });

  it('ignores vital signs that do not measure its metric', () => {
    expect(heartRate.check(vital('temperature', { temperature: 41 }))).toBeUndefined();
  });

  it('reads one metric of a two-metric vital sign', () => {
    const diastolic = AlertRule.create({ id: 'dia', metric: 'diastolic', max: 110 });
    const bp = vital('blood_pressure', { systolic: 190, diastolic: 115 });
    expect(diastolic.kind).toBe('blood_pressure');
    expect(diastolic.check(bp)).toMatchObject({ value: 115, threshold: 110 });
  });

  it('defaults its severity to warning', () => {
    expect(AlertRule.create({ id: 'x', metric: 'temperature', max: 38 }).severity).toBe('warning');
  });

  it.each([
    ['no bound', { id: 'r', metric: 'heartRate' }],
    ['min not below max', { id: 'r', metric: 'heartRate', min: 10, max: 10 }],
    ['an unknown metric', { id: 'r', metric: 'pulse', max: 1 }],
    ['a malformed id', { id: 'Heart Rate', metric: 'heartRate', max: 1 }],
    ['a non-numeric bound', { id: 'r', metric: 'heartRate', max: '130' }],
    ['an unknown severity', { id: 'r', metric: 'heartRate', max: 1, severity: 'panic' }],
  ])('rejects a rule with %s', (_what, props) => {
    expect(() => AlertRule.create(props as never)).toThrow(
      expect.objectContaining({ code: domainErrors.ALERT_RULE_INVALID.code }),
    );
  });

  it('rejects a rule set that uses an id twice', () => {
    expect(() =>
      createAlertRules([
        { id: 'hr', metric: 'heartRate', max: 130 },
        { id: 'hr', metric: 'heartRate', min: 40 },
      ]),
    ).toThrow(/id used twice/);
  });

  it('ships default rules that are valid and cover every metric', () => {
    const rules = createAlertRules(defaultAlertRules);
    expect(new Set(rules.map((rule) => rule.metric))).toEqual(
      new Set(['heartRate', 'oxygenSaturation', 'systolic', 'diastolic', 'temperature']),
    );
  });
});
