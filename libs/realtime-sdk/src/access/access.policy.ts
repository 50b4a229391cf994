import type { RealtimePlatformError } from '@realtime-platform/errors';
import { sdkErrors } from '../sdk.errors.js';
import { accessClaimName, parseAccessGrant, type AccessGrant } from './access-grant.js';

export interface AccessPolicyOptions {
  /** Name of the access claim; default `https://realtime-platform/access`. */
  readonly claim?: string;
  /** The record and filter field that names the device; default `deviceId`. */
  readonly deviceField?: string;
  /**
   * The ward of a device, for `wards` grants. Records carry no ward, so only a service that knows
   * its wards (a bed directory) can honour them; without this, a ward grant grants no device.
   */
  readonly wardOf?: (deviceId: string) => string | undefined;
}

/** The devices a grant covers, for queries that list (`'*'`: every device). */
export type DeviceScope = '*' | readonly string[];

/**
 * Decides what a grant allows: one topic, one device, one subscription. Every answer is either
 * `undefined` (allowed) or the coded error to refuse with, so the hub and the REST API refuse
 * with the same codes (and audit the same reasons).
 */
export class AccessPolicy {
  readonly claim: string;
  readonly deviceField: string;
  private readonly wardOf: ((deviceId: string) => string | undefined) | undefined;

  constructor(options: AccessPolicyOptions = {}) {
    this.claim = options.claim ?? accessClaimName;
    this.deviceField = options.deviceField ?? 'deviceId';
    this.wardOf = options.wardOf;
  }

  /** The grant of a verified token (throws the coded claim errors). */
  grantOf(claims: Readonly<Record<string, unknown>>): AccessGrant {
    return parseAccessGrant(claims, this.claim);
  }

  checkTopic(grant: AccessGrant, topic: string): RealtimePlatformError | undefined {
    if (grant.topics === '*' || grant.topics.has(topic)) return undefined;
    return sdkErrors.ACCESS_TOPIC_NOT_GRANTED({ topic });
  }

  checkDevice(grant: AccessGrant, deviceId: string): RealtimePlatformError | undefined {
    if (grant.devices === '*' || grant.devices.has(deviceId)) return undefined;
    if (grant.wards.size > 0 && this.wardOf !== undefined) {
      const ward = this.wardOf(deviceId);
      if (ward !== undefined && grant.wards.has(ward)) return undefined;
    }
    return sdkErrors.ACCESS_DEVICE_NOT_GRANTED({ deviceId });
  }

  /**
   * A subscription is allowed when its topic is granted and its filter names a granted device.
   * Without a device in the filter it would stream every device: only `"devices": "*"` allows that.
   */
  checkSubscription(
    grant: AccessGrant,
    topic: string,
    filter: Readonly<Record<string, string | number | boolean>>,
  ): RealtimePlatformError | undefined {
    const topicRefusal = this.checkTopic(grant, topic);
    if (topicRefusal !== undefined) return topicRefusal;
    const device = filter[this.deviceField];
    if (device === undefined) {
      if (grant.devices === '*') return undefined;
      return sdkErrors.ACCESS_DEVICE_FILTER_REQUIRED({ topic, field: this.deviceField });
    }
    return this.checkDevice(grant, String(device));
  }

  /** The devices a listing may return (alerts of "my" devices): the explicit list, or `'*'`. */
  deviceScope(grant: AccessGrant): DeviceScope {
    return grant.devices === '*' ? '*' : [...grant.devices];
  }
}
