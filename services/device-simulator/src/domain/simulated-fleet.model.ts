import { DeviceVitals } from './device-vitals.model.js';
import { malformReading, malformedKinds, type MalformedKind } from './malformed-reading.factory.js';
import { SeededRandom } from './seeded-random.generator.js';

export interface FleetOptions {
  readonly devices: number;
  readonly seed: number;
  /** Device ids are `<prefix><number>`, the number zero-padded to at least 5 digits. */
  readonly deviceIdPrefix: string;
  /** Share of readings sent malformed (0 to 1). */
  readonly malformedRatio: number;
  /** Chance per reading that a device starts a heart-rate spike. */
  readonly heartRateSpikeRatio: number;
}

/** One reading ready to publish. */
export interface SimulatedReading {
  /** 0-based index of the device (it picks the MQTT connection). */
  readonly deviceIndex: number;
  readonly deviceId: string;
  /** The reading's timestamp (epoch ms); with deviceId, its identity. */
  readonly timestamp: number;
  /** The MQTT payload: HealthData JSON, or a malformed variant. */
  readonly payload: string;
  readonly malformed: MalformedKind | undefined;
}

/**
 * N devices taking turns (round robin, so each sends `rate / N` readings a second). Everything
 * but the clock is determined by the seed: each device draws from its own generator
 * (`seed`, device number), the fleet decides which readings to malform from another.
 */
export class SimulatedFleet {
  readonly devices: readonly DeviceVitals[];
  private readonly faults: SeededRandom;
  private cursor = 0;

  constructor(readonly options: FleetOptions) {
    const width = Math.max(5, String(options.devices).length);
    this.devices = Array.from(
      { length: options.devices },
      (_, index) =>
        new DeviceVitals(
          `${options.deviceIdPrefix}${String(index + 1).padStart(width, '0')}`,
          new SeededRandom(options.seed, index + 1),
          { heartRateSpikeRatio: options.heartRateSpikeRatio },
        ),
    );
    this.faults = new SeededRandom(options.seed, 0);
  }

  /** The next device's reading at `now` (epoch ms). */
  next(now: number): SimulatedReading {
    const deviceIndex = this.cursor;
    this.cursor = (this.cursor + 1) % this.devices.length;
    const device = this.devices[deviceIndex] as DeviceVitals;
    const reading = device.next(now);
    const malformed =
      this.options.malformedRatio > 0 && this.faults.chance(this.options.malformedRatio)
        ? this.faults.pick(malformedKinds)
        : undefined;
    return {
      deviceIndex,
      deviceId: reading.deviceId,
      timestamp: reading.timestamp,
      payload:
        malformed === undefined
          ? JSON.stringify(reading)
          : malformReading(reading, malformed, this.faults),
      malformed,
    };
  }
}
