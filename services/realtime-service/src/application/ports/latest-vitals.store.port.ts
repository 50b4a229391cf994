import type { DeviceId, DeviceVitals, VitalSign } from '../../domain/index.js';

/** The latest vital signs per device. */
export interface LatestVitalsStore {
  record(vital: VitalSign): void;
  latestOf(deviceId: DeviceId): DeviceVitals | undefined;
}
