import type { AlertSeverity, Breach, BreachDirection } from './alert-rule.value-object.js';
import { alertRuleIdPattern, alertSeverities } from './alert-rule.value-object.js';
import { parseDeviceId, type DeviceId } from './device-id.value-object.js';
import { domainErrors } from './domain.errors.js';
import {
  isVitalKind,
  isVitalMetric,
  metricUnits,
  type VitalKind,
  type VitalMetric,
  type VitalSign,
} from './vital-sign.entity.js';

export interface AlertProps {
  readonly id: string;
  readonly deviceId: string;
  readonly ruleId: string;
  readonly kind: VitalKind;
  readonly metric: VitalMetric;
  readonly value: number;
  readonly threshold: number;
  readonly direction: BreachDirection;
  readonly severity: AlertSeverity;
  readonly message: string;
  /** When the device measured the value, epoch milliseconds. */
  readonly recordedAt: number;
  /** When this service raised the alert, epoch milliseconds. */
  readonly raisedAt: number;
}

/**
 * The id of the alert a rule raises for a measurement: `<rule>/<recordedAt>/<deviceId>`. It is
 * deterministic, so a redelivered record raises the same alert again and stores dedupe it (the
 * rule id and the time hold no `/`, so the id is unambiguous).
 */
export function alertId(ruleId: string, recordedAt: number, deviceId: string): string {
  return `${ruleId}/${recordedAt}/${deviceId}`;
}

const formatNumber = (value: number): string =>
  Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);

/** A tripped rule, for one device at one instant. Immutable. */
export class Alert {
  private constructor(private readonly props: AlertProps) {}

  /** The alert `breach` raises for `vital`, at `raisedAt`. */
  static raise(breach: Breach, vital: VitalSign, raisedAt: number): Alert {
    const { rule, value, threshold, direction } = breach;
    const unit = metricUnits[rule.metric];
    return new Alert({
      id: alertId(rule.id, vital.recordedAt, vital.deviceId),
      deviceId: vital.deviceId,
      ruleId: rule.id,
      kind: vital.kind,
      metric: rule.metric,
      value,
      threshold,
      direction,
      severity: rule.severity,
      message: `${rule.metric} ${formatNumber(value)} ${unit} is ${direction} ${formatNumber(threshold)} ${unit}`,
      recordedAt: vital.recordedAt,
      raisedAt,
    });
  }

  /** An alert read back (database, alerts topic); throws RTP_ERR_REALTIME_SERVICE_ALERT_INVALID. */
  static restore(props: AlertProps): Alert {
    const fail = (reason: string) => domainErrors.ALERT_INVALID({ reason });
    try {
      parseDeviceId(props.deviceId);
    } catch (error) {
      throw domainErrors.ALERT_INVALID({ reason: (error as Error).message }, { cause: error });
    }
    if (typeof props.ruleId !== 'string' || !alertRuleIdPattern.test(props.ruleId))
      throw fail('ruleId is malformed');
    if (!isVitalKind(props.kind)) throw fail('kind is unknown');
    if (!isVitalMetric(props.metric)) throw fail('metric is unknown');
    for (const field of ['value', 'threshold'] as const)
      if (typeof props[field] !== 'number' || !Number.isFinite(props[field]))
        throw fail(`${field} must be a finite number`);
    if (props.direction !== 'below' && props.direction !== 'above')
      throw fail('direction must be below or above');
    if (!(alertSeverities as readonly string[]).includes(props.severity))
      throw fail('severity is unknown');
    if (typeof props.message !== 'string') throw fail('message must be a string');
    for (const field of ['recordedAt', 'raisedAt'] as const)
      if (!Number.isSafeInteger(props[field]) || props[field] < 0)
        throw fail(`${field} must be epoch milliseconds`);
    if (props.id !== alertId(props.ruleId, props.recordedAt, props.deviceId))
      throw fail('id does not match rule, time and device');
    return new Alert({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get deviceId(): DeviceId {
    return this.props.deviceId as DeviceId;
  }
  get ruleId(): string {
    return this.props.ruleId;
  }
  get kind(): VitalKind {
    return this.props.kind;
  }
  get metric(): VitalMetric {
    return this.props.metric;
  }
  get value(): number {
    return this.props.value;
  }
  get threshold(): number {
    return this.props.threshold;
  }
  get direction(): BreachDirection {
    return this.props.direction;
  }
  get severity(): AlertSeverity {
    return this.props.severity;
  }
  get message(): string {
    return this.props.message;
  }
  get recordedAt(): number {
    return this.props.recordedAt;
  }
  get raisedAt(): number {
    return this.props.raisedAt;
  }

  toProps(): AlertProps {
    return { ...this.props };
  }
}
