import { describe, expect, it } from '@jest/globals';
import { AlertPolicy, AlertRule } from '../../../src/domain/index.js';
import { heartRateOf, t0, vital } from '../../helpers/vitals.fixture.js';

const rules = [
  AlertRule.create({ id: 'hr', metric: 'heartRate', min: 40, max: 130 }),
  AlertRule.create({ id: 'temp', metric: 'temperature', max: 38.5 }),
];

/** Measurement times: every reading of a test a millisecond after the one before. */
let clock = t0;
/** Evaluates and commits, as the use case does after storing and publishing. */
const apply = (policy: AlertPolicy, bpm: number, deviceId = 'd1') => {
  clock += 1;
  const evaluation = policy.evaluate(heartRateOf(bpm, { deviceId, at: clock }));
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

  it('ignores a measurement not newer than one already evaluated (a duplicate or a late reading), so it cannot hide the next breach', () => {
    const policy = new AlertPolicy(rules);
    const at = (bpm: number, time: number) => {
      const evaluation = policy.evaluate(heartRateOf(bpm, { deviceId: 'late', at: time }));
      policy.commit(evaluation);
      return evaluation;
    };
    expect(at(150, t0 + 10).raised).toHaveLength(1);
    expect(at(80, t0 + 20).recovered).toHaveLength(1);
    // The breach at t0+10 delivered again (at-least-once): nothing changes, no re-trip.
    const duplicate = at(150, t0 + 10);
    expect(duplicate).toMatchObject({ stale: true, raised: [], recovered: [] });
    // So the next real breach raises its alert.
    expect(at(155, t0 + 30).raised.map((b) => b.value)).toEqual([155]);
  });
});
