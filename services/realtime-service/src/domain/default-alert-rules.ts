import type { AlertRuleProps } from './alert-rule.value-object.js';

/**
 * The rules a deployment gets unless RTP_ALERT_RULES replaces them: common adult early-warning
 * limits for a demo, not clinical advice. The health-domain's plausibility ranges are wider
 * (a value outside those is a sensor fault and never reaches this service).
 */
export const defaultAlertRules: readonly AlertRuleProps[] = [
  { id: 'heart-rate', metric: 'heartRate', min: 40, max: 130, severity: 'critical' },
  { id: 'oxygen-saturation', metric: 'oxygenSaturation', min: 90, severity: 'critical' },
  { id: 'systolic', metric: 'systolic', min: 90, max: 180, severity: 'warning' },
  { id: 'diastolic', metric: 'diastolic', min: 50, max: 110, severity: 'warning' },
  { id: 'temperature', metric: 'temperature', min: 35, max: 38.5, severity: 'warning' },
];
