import { describe, expect, it } from '@jest/globals';
import { AlertPolicy, AlertRule } from '../../../src/domain/index.js';
import { heartRateOf, t0, vital } from '../../helpers/vitals.fixture.js';

const rules = [
  AlertRule.create({ id: 'hr', metric: 'heartRate', min: 40, max: 130 }),
  AlertRule.create({ id: 'temp', metric: 'temperature', max: 38.5 }),
];

/** Evaluates and commits, as the use case does after storing and publishing. */
const apply = (policy: AlertPolicy, bpm: number, deviceId = 'd1') => {
  const evaluation = policy.evaluate(heartRateOf(bpm, { deviceId }));
  policy.commit(evaluation);
  return evaluation;
};

describe('AlertPolicy', () => {
  it('raises once when a rule trips, not again while the value stays out of bounds', () => {
    const policy = new AlertPolicy(rules);
    expect(apply(policy, 150).raised.map((b) => b.rule.id)).toEqual(['hr']);
    const again = apply(policy, 160);
    expect(again.raised).toEqual([]);
    expect(again.ongoing.map((b) => b.value)).toEqual([160]);
  });

  it('re-arms when the value is back within bounds', () => {
    const policy = new AlertPolicy(rules);
    apply(policy, 150);
    expect(apply(policy, 80).recovered.map((rule) => rule.id)).toEqual(['hr']);
    expect(apply(policy, 30).raised.map((b) => b.direction)).toEqual(['below']);
  });

  it('keeps the state of each device apart', () => {
    const policy = new AlertPolicy(rules);
    apply(policy, 150, 'd1');
    expect(apply(policy, 150, 'd2').raised).toHaveLength(1);
  });

  it('changes nothing until the evaluation is committed (a failed store raises again)', () => {
    const policy = new AlertPolicy(rules);
    const first = policy.evaluate(heartRateOf(150));
    expect(first.raised).toHaveLength(1);
    expect(policy.evaluate(heartRateOf(150)).raised).toHaveLength(1);
    policy.commit(first);
    expect(policy.evaluate(heartRateOf(150)).raised).toHaveLength(0);
  });

  it('only applies rules of the vital sign kind', () => {
    const policy = new AlertPolicy(rules);
    const evaluation = policy.evaluate(vital('temperature', { temperature: 39.2 }, { at: t0 }));
    expect(evaluation.raised.map((b) => b.rule.id)).toEqual(['temp']);
  });

  it('forgets the oldest tripped pairs beyond its bound', () => {
    const policy = new AlertPolicy(rules, { maxTrackedBreaches: 2 });
    for (const device of ['a', 'b', 'c']) apply(policy, 150, device);
    expect(policy.trackedBreaches).toBe(2);
    expect(apply(policy, 150, 'a').raised).toHaveLength(1);
  });
});
