import type { DeviceVitals, VitalKind, VitalSign, VitalValues } from '../../domain/index.js';

/** A vital sign as clients see it (WebSocket `data` frames, REST). Times are ISO 8601 (UTC). */
export interface VitalDto {
  readonly deviceId: string;
  readonly kind: VitalKind;
  /** `{ heartRate: 72 }`, `{ systolic: 120, diastolic: 80 }`, … */
  readonly values: VitalValues;
  readonly recordedAt: string;
  readonly latitude: number;
  readonly longitude: number;
}

export interface DeviceVitalsDto {
  readonly deviceId: string;
  readonly updatedAt: string;
  /** The latest of each kind the device reported, by kind. */
  readonly vitals: Partial<Record<VitalKind, VitalDto>>;
}

export function toVitalDto(vital: VitalSign): VitalDto {
  return {
    deviceId: vital.deviceId,
    kind: vital.kind,
    values: vital.values,
    recordedAt: new Date(vital.recordedAt).toISOString(),
    latitude: vital.location.latitude,
    longitude: vital.location.longitude,
  };
}

export function toDeviceVitalsDto(device: DeviceVitals): DeviceVitalsDto {
  return {
    deviceId: device.deviceId,
    updatedAt: new Date(device.updatedAt).toISOString(),
    vitals: Object.fromEntries(device.vitals().map((vital) => [vital.kind, toVitalDto(vital)])),
  };
}
