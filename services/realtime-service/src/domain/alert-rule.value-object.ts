import { domainErrors } from './domain.errors.js';
import {
  isVitalMetric,
  kindOfMetric,
  metricUnits,
  vitalMetrics,
  type VitalKind,
  type VitalMetric,
  type VitalSign,
} from './vital-sign.entity.js';

export const alertSeverities = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

/** Rule ids name alerts, metrics and log lines: lowercase, digits and dashes. */
export const alertRuleIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface AlertRuleProps {
  readonly id: string;
  readonly metric: VitalMetric;
  /** A value below this trips the rule. */
  readonly min?: number;
  /** A value above this trips the rule. */
  readonly max?: number;
  /** Default `warning`. */
  readonly severity?: AlertSeverity;
}

export type BreachDirection = 'below' | 'above';

/** What a tripped rule saw. */
export interface Breach {
  readonly rule: AlertRule;
  readonly value: number;
  readonly threshold: number;
  readonly direction: BreachDirection;
}

/**
 * A threshold rule on one metric: the value must stay within `[min, max]` (either bound may be
 * left out). Values equal to a bound are fine. Configurable per deployment (RTP_ALERT_RULES).
 */
export class AlertRule {
  private constructor(
    readonly id: string,
    readonly metric: VitalMetric,
    readonly min: number | undefined,
    readonly max: number | undefined,
    readonly severity: AlertSeverity,
  ) {}

  static create(props: AlertRuleProps): AlertRule {
    const name = typeof props.id === 'string' ? props.id : '(no id)';
    const fail = (reason: string) => domainErrors.ALERT_RULE_INVALID({ rule: name, reason });
    if (typeof props.id !== 'string' || !alertRuleIdPattern.test(props.id))
      throw fail(`id must match ${alertRuleIdPattern.source}`);
    if (!isVitalMetric(props.metric))
      throw fail(`metric must be one of ${vitalMetrics.join(', ')}`);
    const bound = (value: unknown, which: string): number | undefined => {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw fail(`${which} must be a finite number`);
      return value;
    };
    const min = bound(props.min, 'min');
    const max = bound(props.max, 'max');
    if (min === undefined && max === undefined) throw fail('needs min, max or both');
    if (min !== undefined && max !== undefined && min >= max) throw fail('min must be below max');
    const severity = props.severity ?? 'warning';
    if (!(alertSeverities as readonly string[]).includes(severity))
      throw fail(`severity must be one of ${alertSeverities.join(', ')}`);
    return new AlertRule(props.id, props.metric, min, max, severity);
  }

  /** The vital sign kind whose records this rule reads. */
  get kind(): VitalKind {
    return kindOfMetric[this.metric];
  }

  get unit(): string {
    return metricUnits[this.metric];
  }

  /** The breach, when `vital` measures this rule's metric and the value is out of bounds. */
  check(vital: VitalSign): Breach | undefined {
    const value = vital.valueOf(this.metric);
    if (value === undefined) return undefined;
    if (this.min !== undefined && value < this.min)
      return { rule: this, value, threshold: this.min, direction: 'below' };
    if (this.max !== undefined && value > this.max)
      return { rule: this, value, threshold: this.max, direction: 'above' };
    return undefined;
  }

  toProps(): AlertRuleProps {
    return {
      id: this.id,
      metric: this.metric,
      ...(this.min === undefined ? {} : { min: this.min }),
      ...(this.max === undefined ? {} : { max: this.max }),
      severity: this.severity,
    };
  }
}

/** Ids must be unique in a rule set (they name alerts). */
export function createAlertRules(props: readonly AlertRuleProps[]): AlertRule[] {
  const rules = props.map((rule) => AlertRule.create(rule));
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id))
      throw domainErrors.ALERT_RULE_INVALID({ rule: rule.id, reason: 'id used twice' });
    seen.add(rule.id);
  }
  return rules;
}
