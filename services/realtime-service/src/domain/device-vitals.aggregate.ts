import type { DeviceId } from './device-id.value-object.js';
import type { VitalKind, VitalSign } from './vital-sign.entity.js';

/**
 * The latest vital sign of each kind a device reported. Immutable: `withVital` returns the next
 * state. A measurement older than the one held is ignored (records of one kind arrive in order;
 * this guards replays).
 */
export class DeviceVitals {
  private constructor(
    readonly deviceId: DeviceId,
    private readonly latest: ReadonlyMap<VitalKind, VitalSign>,
  ) {}

  static of(vital: VitalSign): DeviceVitals {
    return new DeviceVitals(vital.deviceId, new Map([[vital.kind, vital]]));
  }

  withVital(vital: VitalSign): DeviceVitals {
    if (vital.deviceId !== this.deviceId) return this;
    const held = this.latest.get(vital.kind);
    if (held !== undefined && held.recordedAt > vital.recordedAt) return this;
    const next = new Map(this.latest);
    next.set(vital.kind, vital);
    return new DeviceVitals(this.deviceId, next);
  }

  /** The latest of each kind, in the order of `vitalKinds`. */
  vitals(): VitalSign[] {
    return [...this.latest.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  }

  latestOf(kind: VitalKind): VitalSign | undefined {
    return this.latest.get(kind);
  }

  /** The most recent measurement time of any kind. */
  get updatedAt(): number {
    let newest = 0;
    for (const vital of this.latest.values()) newest = Math.max(newest, vital.recordedAt);
    return newest;
  }
}
