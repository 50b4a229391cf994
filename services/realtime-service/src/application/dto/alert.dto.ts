import {
  Alert,
  domainErrors,
  type AlertSeverity,
  type BreachDirection,
  type VitalKind,
  type VitalMetric,
} from '../../domain/index.js';

/**
 * An alert as it travels: the alerts topic (JSON value, key = deviceId), WebSocket `data` frames
 * and REST. Times are ISO 8601 (UTC); `id` is `<ruleId>/<recordedAt ms>/<deviceId>`.
 */
export interface AlertDto {
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
  readonly recordedAt: string;
  readonly raisedAt: string;
}

export function toAlertDto(alert: Alert): AlertDto {
  const props = alert.toProps();
  return {
    ...props,
    recordedAt: new Date(props.recordedAt).toISOString(),
    raisedAt: new Date(props.raisedAt).toISOString(),
  };
}

const epochOf = (value: unknown, field: string): number => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw domainErrors.ALERT_INVALID({ reason: `${field} is not a date` });
  return ms;
};

/** Reads an alert from untrusted JSON; throws RTP_ERR_REALTIME_SERVICE_ALERT_INVALID. */
export function alertFromDto(value: unknown): Alert {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw domainErrors.ALERT_INVALID({ reason: 'not an object' });
  const dto = value as Record<string, unknown>;
  return Alert.restore({
    id: dto.id as string,
    deviceId: dto.deviceId as string,
    ruleId: dto.ruleId as string,
    kind: dto.kind as VitalKind,
    metric: dto.metric as VitalMetric,
    value: dto.value as number,
    threshold: dto.threshold as number,
    direction: dto.direction as BreachDirection,
    severity: dto.severity as AlertSeverity,
    message: dto.message as string,
    recordedAt: epochOf(dto.recordedAt, 'recordedAt'),
    raisedAt: epochOf(dto.raisedAt, 'raisedAt'),
  });
}
