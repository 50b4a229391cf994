import { defineErrors } from '@realtime-platform/errors';

/**
 * Errors of the domain layer: rule and invariant violations. None is retriable: the same input
 * fails the same way (a record that breaks them goes to the dead-letter topic).
 */
export const domainErrors = defineErrors('RTP_ERR_REALTIME_SERVICE', {
  DEVICE_ID_INVALID: {
    message: (p: { reason: string }) => `device id is invalid: ${p.reason}`,
  },
  VITAL_SIGN_INVALID: {
    message: (p: { reason: string }) => `vital sign is invalid: ${p.reason}`,
  },
  ALERT_RULE_INVALID: {
    message: (p: { rule: string; reason: string }) =>
      `alert rule ${p.rule} is invalid: ${p.reason}`,
  },
  ALERT_INVALID: {
    message: (p: { reason: string }) => `alert is invalid: ${p.reason}`,
  },
});
