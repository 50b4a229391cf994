import { VitalSign, type VitalKind, type VitalValues } from '../../src/domain/index.js';

export const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function vital(
  kind: VitalKind,
  values: VitalValues,
  options: { deviceId?: string; at?: number } = {},
): VitalSign {
  return VitalSign.create({
    deviceId: options.deviceId ?? 'device-1',
    kind,
    values,
    recordedAt: options.at ?? t0,
    location: { latitude: 52.37, longitude: 4.89 },
  });
}

export const heartRateOf = (bpm: number, options?: { deviceId?: string; at?: number }) =>
  vital('heart_rate', { heartRate: bpm }, options);
