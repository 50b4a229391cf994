import type { Clock, LatestVitalsStore } from '../../application/index.js';
import { DeviceVitals, type DeviceId, type VitalSign } from '../../domain/index.js';
import { systemClock } from '../clock/system.clock.js';

interface HeldDevice {
  readonly vitals: DeviceVitals;
  /** When this replica last received a reading of the device (its clock, not the device's). */
  readonly receivedAt: number;
}

/**
 * The latest vitals per device in this replica's memory, fed by the live (broadcast) consumer: in
 * broadcast mode every replica sees every record, so each answers for every device. Bounded: the
 * least recently updated devices are forgotten beyond `maxDevices`. After a restart a device is
 * known again with its next reading (devices report every few seconds).
 */
export class InMemoryLatestVitalsStore implements LatestVitalsStore {
  /** In update order (a device is moved to the end on each reading): the first is the most silent. */
  private readonly devices = new Map<string, HeldDevice>();

  constructor(
    private readonly maxDevices = 50_000,
    private readonly clock: Clock = systemClock,
  ) {}

  record(vital: VitalSign): void {
    const held = this.devices.get(vital.deviceId);
    const vitals = held === undefined ? DeviceVitals.of(vital) : held.vitals.withVital(vital);
    this.devices.delete(vital.deviceId);
    this.devices.set(vital.deviceId, { vitals, receivedAt: this.clock.now() });
    if (this.devices.size > this.maxDevices) {
      const oldest = this.devices.keys().next().value as string;
      this.devices.delete(oldest);
    }
  }

  latestOf(deviceId: DeviceId): DeviceVitals | undefined {
    return this.devices.get(deviceId)?.vitals;
  }

  get size(): number {
    return this.devices.size;
  }

  /**
   * Milliseconds since the most silent known device's last reading (0 with no device): what the
   * "no readings from a known device" alert reads, without a per-device series. O(1).
   */
  longestSilenceMs(): number {
    const mostSilent = this.devices.values().next().value;
    return mostSilent === undefined ? 0 : Math.max(0, this.clock.now() - mostSilent.receivedAt);
  }
}
