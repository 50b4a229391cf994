import { parseDeviceId, type DeviceVitals } from '../../domain/index.js';
import { applicationErrors } from '../application.errors.js';
import type { LatestVitalsStore } from '../ports/index.js';

/** The latest vital sign of each kind of one device; RTP_ERR_REALTIME_SERVICE_DEVICE_NOT_FOUND if none. */
export class GetLatestVitalsUseCase {
  constructor(private readonly latest: LatestVitalsStore) {}

  execute(rawDeviceId: string): DeviceVitals {
    const deviceId = parseDeviceId(rawDeviceId);
    const vitals = this.latest.latestOf(deviceId);
    if (vitals === undefined) throw applicationErrors.DEVICE_NOT_FOUND({ deviceId });
    return vitals;
  }
}
