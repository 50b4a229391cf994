import type { LatestVitalsStore } from '../../application/index.js';
import { DeviceVitals, type DeviceId, type VitalSign } from '../../domain/index.js';

/**
 * The latest vitals per device in this replica's memory, fed by the live (broadcast) consumer: in
 * broadcast mode every replica sees every record, so each answers for every device. Bounded: the
 * least recently updated devices are forgotten beyond `maxDevices`. After a restart a device is
 * known again with its next reading (devices report every few seconds).
 */
export class InMemoryLatestVitalsStore implements LatestVitalsStore {
  private readonly devices = new Map<string, DeviceVitals>();

  constructor(private readonly maxDevices = 50_000) {}

  record(vital: VitalSign): void {
    const held = this.devices.get(vital.deviceId);
    const next = held === undefined ? DeviceVitals.of(vital) : held.withVital(vital);
    this.devices.delete(vital.deviceId);
    this.devices.set(vital.deviceId, next);
    if (this.devices.size > this.maxDevices) {
      const oldest = this.devices.keys().next().value as string;
      this.devices.delete(oldest);
    }
  }

  latestOf(deviceId: DeviceId): DeviceVitals | undefined {
    return this.devices.get(deviceId);
  }

  get size(): number {
    return this.devices.size;
  }
}
