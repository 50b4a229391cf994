import {
  defaultMaxFutureSkewMs,
  deviceIdMaxLength,
  deviceIdPattern,
  parseReading,
  type HealthData,
} from '@realtime-platform/health-domain';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import { bridgeErrors } from '../bridge.errors.js';

/** A valid reading: forwarded to `device_data` keyed by its deviceId (the KCQL `WITHKEY(deviceId)`). */
export interface ForwardRoute {
  readonly kind: 'forward';
  readonly key: string;
  /** Only the `HealthData` fields, in schema order (unknown fields dropped). */
  readonly reading: HealthData;
  readonly ignoredFields: readonly string[];
}

/** An invalid payload: dead-lettered with its reason, then acknowledged like any other. */
export interface DeadLetterRoute {
  readonly kind: 'dead-letter';
  /** The payload's deviceId when it has a usable one, so dead letters of a device stay together. */
  readonly key: string | undefined;
  /** The first problem's code, e.g. `RTP_ERR_HEALTH_FIELD_OUT_OF_RANGE`. */
  readonly reasonCode: string;
  /** Every problem, human readable. */
  readonly reason: string;
  /** The payload as received, or its first `maxDeadLetterPayloadBytes` bytes. */
  readonly payload: Buffer;
  /** Size of the payload as received (differs from `payload.length` when truncated). */
  readonly payloadBytes: number;
}

export type ReadingRoute = ForwardRoute | DeadLetterRoute;

export interface ReadingRoutePolicy {
  /**
   * Larger payloads are not parsed: they go to the DLQ as PAYLOAD_TOO_LARGE. A reading is about
   * 250 bytes; parsing megabytes of JSON per message would stall the bridge.
   */
  readonly maxPayloadBytes: number;
  /**
   * Dead-letter values are cut to this size, so one oversized payload can never exceed Kafka's
   * record size limit and block the bridge (it would be retried forever, unacknowledged).
   */
  readonly maxDeadLetterPayloadBytes: number;
  /** Reading timestamps later than the bridge's clock plus this are dead-lettered. */
  readonly maxFutureSkewMs: number;
  /**
   * Topics `<prefix><deviceId>` are a device's own: the broker lets only the user `<deviceId>`
   * publish there (the platform's ACL), so the topic names the authenticated publisher, and a
   * reading on it must carry that deviceId. The gateways' topic (without a device level) carries
   * no identity: gateways are trusted for any deviceId.
   */
  readonly deviceTopicPrefix: string | undefined;
}

export const defaultReadingRoutePolicy: ReadingRoutePolicy = {
  maxPayloadBytes: 64 * 1024,
  maxDeadLetterPayloadBytes: 64 * 1024,
  maxFutureSkewMs: defaultMaxFutureSkewMs,
  deviceTopicPrefix: `${deviceMqttTopic}/`,
};

/** The device a topic belongs to under `policy`, or undefined for a topic without one. */
export function publisherDeviceId(topic: string, policy: ReadingRoutePolicy): string | undefined {
  const prefix = policy.deviceTopicPrefix;
  if (prefix === undefined || !topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  return rest === '' || rest.includes('/') ? undefined : rest;
}

/** The deviceId of a payload that failed validation, when it still has a plausible one. */
function deviceIdOf(payload: Buffer): string | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const deviceId = (value as { deviceId?: unknown }).deviceId;
    return typeof deviceId === 'string' &&
      deviceId.length <= deviceIdMaxLength &&
      deviceIdPattern.test(deviceId)
      ? deviceId
      : undefined;
  } catch {
    return undefined;
  }
}

function deadLetter(
  payload: Buffer,
  policy: ReadingRoutePolicy,
  reasonCode: string,
  reason: string,
  key: string | undefined,
): DeadLetterRoute {
  return {
    kind: 'dead-letter',
    key,
    reasonCode,
    reason,
    payload:
      payload.length > policy.maxDeadLetterPayloadBytes
        ? payload.subarray(0, policy.maxDeadLetterPayloadBytes)
        : payload,
    payloadBytes: payload.length,
  };
}

/**
 * Where an MQTT payload goes: a valid `HealthData` reading to `device_data` (keyed by deviceId),
 * anything else (not UTF-8, not JSON, missing or mistyped fields, implausible values, too large,
 * or a deviceId other than the device whose topic it came on) to the DLQ with its reason. Never
 * throws.
 */
export function routeReading(
  payload: Buffer,
  policy: ReadingRoutePolicy = defaultReadingRoutePolicy,
  topic?: string,
): ReadingRoute {
  if (payload.length > policy.maxPayloadBytes) {
    const error = bridgeErrors.PAYLOAD_TOO_LARGE({
      bytes: payload.length,
      maxBytes: policy.maxPayloadBytes,
    });
    return deadLetter(payload, policy, error.code, error.message, undefined);
  }
  const result = parseReading(payload, { maxFutureSkewMs: policy.maxFutureSkewMs });
  const publisher = topic === undefined ? undefined : publisherDeviceId(topic, policy);
  if (result.ok && publisher !== undefined && result.reading.deviceId !== publisher) {
    const error = bridgeErrors.DEVICE_ID_MISMATCH({
      deviceId: result.reading.deviceId,
      publisher,
    });
    // Keyed by the authenticated device: the forged id is in the payload for whoever looks.
    return deadLetter(payload, policy, error.code, error.message, publisher);
  }
  if (result.ok) {
    return {
      kind: 'forward',
      key: result.reading.deviceId,
      reading: result.reading,
      ignoredFields: result.ignoredFields,
    };
  }
  return deadLetter(
    payload,
    policy,
    result.reasonCode,
    result.reason,
    publisher ?? deviceIdOf(payload),
  );
}
