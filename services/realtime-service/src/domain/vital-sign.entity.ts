import { parseDeviceId, type DeviceId } from './device-id.value-object.js';
import { domainErrors } from './domain.errors.js';

/** The four vital signs a device reports (one Kafka topic each). */
export const vitalKinds = [
  'blood_pressure',
  'heart_rate',
  'oxygen_saturation',
  'temperature',
] as const;
export type VitalKind = (typeof vitalKinds)[number];

/** The measured quantities; blood pressure has two. Alert rules name one of them. */
export const vitalMetrics = [
  'systolic',
  'diastolic',
  'heartRate',
  'oxygenSaturation',
  'temperature',
] as const;
export type VitalMetric = (typeof vitalMetrics)[number];

export const metricsOfKind: Readonly<Record<VitalKind, readonly VitalMetric[]>> = {
  blood_pressure: ['systolic', 'diastolic'],
  heart_rate: ['heartRate'],
  oxygen_saturation: ['oxygenSaturation'],
  temperature: ['temperature'],
};

export const kindOfMetric: Readonly<Record<VitalMetric, VitalKind>> = {
  systolic: 'blood_pressure',
  diastolic: 'blood_pressure',
  heartRate: 'heart_rate',
  oxygenSaturation: 'oxygen_saturation',
  temperature: 'temperature',
};

export const metricUnits: Readonly<Record<VitalMetric, string>> = {
  systolic: 'mmHg',
  diastolic: 'mmHg',
  heartRate: 'bpm',
  oxygenSaturation: '%',
  temperature: '°C',
};

export interface GeoLocation {
  readonly latitude: number;
  readonly longitude: number;
}

export type VitalValues = Readonly<Partial<Record<VitalMetric, number>>>;

export interface VitalSignProps {
  readonly deviceId: string;
  readonly kind: VitalKind;
  readonly values: VitalValues;
  /** When the device measured it, epoch milliseconds. */
  readonly recordedAt: number;
  readonly location: GeoLocation;
}

const invalid = (reason: string) => domainErrors.VITAL_SIGN_INVALID({ reason });

export function isVitalKind(value: unknown): value is VitalKind {
  return (vitalKinds as readonly unknown[]).includes(value);
}

export function isVitalMetric(value: unknown): value is VitalMetric {
  return (vitalMetrics as readonly unknown[]).includes(value);
}

/**
 * One measurement of one vital sign of one device. Immutable; `create` checks the invariants
 * (exactly the metrics of its kind, finite numbers, a real instant and position) and throws
 * RTP_ERR_REALTIME_SERVICE_VITAL_SIGN_INVALID otherwise.
 */
export class VitalSign {
  private constructor(
    readonly deviceId: DeviceId,
    readonly kind: VitalKind,
    readonly values: VitalValues,
    readonly recordedAt: number,
    readonly location: GeoLocation,
  ) {}

  static create(props: VitalSignProps): VitalSign {
    let deviceId: DeviceId;
    try {
      deviceId = parseDeviceId(props.deviceId);
    } catch (error) {
      throw domainErrors.VITAL_SIGN_INVALID({ reason: (error as Error).message }, { cause: error });
    }
    if (!isVitalKind(props.kind)) throw invalid(`unknown kind ${String(props.kind)}`);
    const expected = metricsOfKind[props.kind];
    const given = Object.keys(props.values);
    const values: Partial<Record<VitalMetric, number>> = {};
    for (const metric of expected) {
      const value = props.values[metric];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalid(`${props.kind} needs a finite number for ${metric}`);
      values[metric] = value;
    }
    const extra = given.filter((key) => !(expected as readonly string[]).includes(key));
    if (extra.length > 0) throw invalid(`${props.kind} has no metric ${extra.join(', ')}`);
    if (!Number.isSafeInteger(props.recordedAt) || props.recordedAt < 0)
      throw invalid('recordedAt must be epoch milliseconds');
    const { latitude, longitude } = props.location;
    if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90)
      throw invalid('latitude must be within -90..90');
    if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180)
      throw invalid('longitude must be within -180..180');
    return new VitalSign(
      deviceId,
      props.kind,
      Object.freeze(values),
      props.recordedAt,
      Object.freeze({ latitude, longitude }),
    );
  }

  /** The value of `metric`, when this vital sign measures it. */
  valueOf(metric: VitalMetric): number | undefined {
    return this.values[metric];
  }
}
