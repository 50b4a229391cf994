export { domainErrors } from './domain.errors.js';
export { parseDeviceId, deviceIdMaxLength, type DeviceId } from './device-id.value-object.js';
export {
  VitalSign,
  isVitalKind,
  isVitalMetric,
  kindOfMetric,
  metricUnits,
  metricsOfKind,
  vitalKinds,
  vitalMetrics,
  type GeoLocation,
  type VitalKind,
  type VitalMetric,
  type VitalSignProps,
  type VitalValues,
} from './vital-sign.entity.js';
export {
  AlertRule,
  alertRuleIdPattern,
  alertSeverities,
  createAlertRules,
  type AlertRuleProps,
  type AlertSeverity,
  type Breach,
  type BreachDirection,
} from './alert-rule.value-object.js';
export { defaultAlertRules } from './default-alert-rules.js';
export { Alert, alertId, type AlertProps } from './alert.entity.js';
export {
  AlertPolicy,
  type AlertEvaluation,
  type AlertPolicyOptions,
  type RuleTransition,
  type RuleTrip,
} from './alert-policy.domain-service.js';
export { DeviceVitals } from './device-vitals.aggregate.js';
