import type { AlertRule, Breach } from './alert-rule.value-object.js';
import type { VitalSign } from './vital-sign.entity.js';

/** What the rules say about one vital sign. Apply it with `AlertPolicy.commit` once acted upon. */
export interface AlertEvaluation {
  readonly deviceId: string;
  readonly kind: VitalSign['kind'];
  /** The measurement's time (epoch milliseconds). */
  readonly recordedAt: number;
  /** True when a newer measurement of this device and kind was already evaluated: nothing changes. */
  readonly stale: boolean;
  /** Rules that tripped now and were not tripped before: each raises an alert. */
  readonly raised: readonly Breach[];
  /** Rules that are still tripped (no new alert). */
  readonly ongoing: readonly Breach[];
  /** Rules of this vital's metrics that were tripped and are back within bounds. */
  readonly recovered: readonly AlertRule[];
}

/** A rule tripped for a device (its value out of bounds since the last alert). */
export interface RuleTrip {
  readonly ruleId: string;
  readonly deviceId: string;
}

/** A rule that tripped (true) or recovered (false) for a device. */
export interface RuleTransition extends RuleTrip {
  readonly tripped: boolean;
}

export interface AlertPolicyOptions {
  /** Tripped (device, rule) pairs remembered; the oldest are forgotten beyond it. */
  readonly maxTrackedBreaches?: number;
}

const stateKey = (ruleId: string, deviceId: string): string => `${ruleId}\u0000${deviceId}`;
const newestKey = (of: { kind: string; deviceId: string }): string =>
  `${of.kind}\u0000${of.deviceId}`;

/**
 * Decides when a rule raises an alert: when it trips for a device whose value was within bounds
 * before (edge-triggered), so a device that keeps reporting 180 bpm raises one alert, not one a
 * second; the rule re-arms once the value is back within bounds.
 *
 * `evaluate` has no side effects; `commit` records the outcome. Callers commit only after they
 * stored and published the alerts, so a failure (and the redelivery that follows) evaluates the
 * same record again and raises the same alerts. The state lives in memory and is persisted by the
 * caller (`transitions`): `restore` loads it after a restart or a rebalance, so an ongoing breach
 * does not raise a second alert when the service comes back.
 */
export class AlertPolicy {
  private readonly tripped = new Map<string, true>();
  /**
   * The newest measurement evaluated per (kind, device): an older or equal one (a duplicate after a
   * redelivery, a reading that arrives late) must not flip the state back, or it could hide the
   * next real breach. Bounded like the tripped pairs.
   */
  private readonly newest = new Map<string, number>();
  private readonly maxTracked: number;

  constructor(
    readonly rules: readonly AlertRule[],
    options: AlertPolicyOptions = {},
  ) {
    this.maxTracked = options.maxTrackedBreaches ?? 100_000;
  }

  evaluate(vital: VitalSign): AlertEvaluation {
    const raised: Breach[] = [];
    const ongoing: Breach[] = [];
    const recovered: AlertRule[] = [];
    const newest = this.newest.get(newestKey(vital));
    if (newest !== undefined && vital.recordedAt <= newest) {
      return {
        deviceId: vital.deviceId,
        recordedAt: vital.recordedAt,
        kind: vital.kind,
        raised,
        ongoing,
        recovered,
        stale: true,
      };
    }
    for (const rule of this.rules) {
      if (rule.kind !== vital.kind) continue;
      const breach = rule.check(vital);
      const wasTripped = this.tripped.has(stateKey(rule.id, vital.deviceId));
      if (breach !== undefined) (wasTripped ? ongoing : raised).push(breach);
      else if (wasTripped) recovered.push(rule);
    }
    return {
      deviceId: vital.deviceId,
      recordedAt: vital.recordedAt,
      kind: vital.kind,
      raised,
      ongoing,
      recovered,
      stale: false,
    };
  }

  commit(evaluation: AlertEvaluation): void {
    if (evaluation.stale) return;
    const key = newestKey(evaluation);
    this.newest.delete(key);
    this.newest.set(key, evaluation.recordedAt);
    while (this.newest.size > this.maxTracked) {
      this.newest.delete(this.newest.keys().next().value as string);
    }
    for (const rule of evaluation.recovered)
      this.tripped.delete(stateKey(rule.id, evaluation.deviceId));
    for (const breach of evaluation.raised) {
      const key = stateKey(breach.rule.id, evaluation.deviceId);
      this.tripped.delete(key);
      this.tripped.set(key, true);
    }
    while (this.tripped.size > this.maxTracked) {
      const oldest = this.tripped.keys().next().value as string;
      this.tripped.delete(oldest);
    }
  }

  /** Replaces the state with these tripped (rule, device) pairs, e.g. as persisted. */
  restore(tripped: Iterable<RuleTrip>): void {
    this.tripped.clear();
    this.newest.clear();
    for (const { ruleId, deviceId } of tripped) this.tripped.set(stateKey(ruleId, deviceId), true);
  }

  /** What `commit(evaluation)` changes, to persist before committing: trips and recoveries. */
  static transitions(evaluation: AlertEvaluation): RuleTransition[] {
    const { deviceId } = evaluation;
    return [
      ...evaluation.raised.map(({ rule }) => ({ ruleId: rule.id, deviceId, tripped: true })),
      ...evaluation.recovered.map((rule) => ({ ruleId: rule.id, deviceId, tripped: false })),
    ];
  }

  /** How many (device, rule) pairs are tripped right now. */
  get trackedBreaches(): number {
    return this.tripped.size;
  }
}
