import { deviceIdMaxLength } from '@realtime-platform/health-domain';
import { domainErrors } from './domain.errors.js';

/** A device's id as the platform knows it (the Kafka key of its records): 1-128 characters, not blank. */
export type DeviceId = string & { readonly __brand: 'DeviceId' };

export { deviceIdMaxLength };

/** Checks a raw id; throws RTP_ERR_REALTIME_SERVICE_DEVICE_ID_INVALID. */
export function parseDeviceId(raw: unknown): DeviceId {
  if (typeof raw !== 'string') throw domainErrors.DEVICE_ID_INVALID({ reason: 'not a string' });
  if (raw.trim() === '') throw domainErrors.DEVICE_ID_INVALID({ reason: 'empty' });
  if (raw.length > deviceIdMaxLength)
    throw domainErrors.DEVICE_ID_INVALID({
      reason: `longer than ${deviceIdMaxLength} characters`,
    });
  return raw as DeviceId;
}
