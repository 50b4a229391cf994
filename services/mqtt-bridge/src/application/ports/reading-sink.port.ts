import type { HealthData } from '@realtime-platform/health-domain';

export interface ForwardedReading {
  /** The deviceId (the record key). */
  readonly key: string;
  readonly reading: HealthData;
}

export interface DeadLetter {
  readonly key: string | undefined;
  /** The payload as received (possibly truncated, see `payloadBytes`). */
  readonly payload: Buffer;
  readonly payloadBytes: number;
  readonly reasonCode: string;
  readonly reason: string;
  /** The MQTT topic it was published to. */
  readonly sourceTopic: string;
}

/**
 * The Kafka side of the bridge. Each method resolves only once the records are durably written
 * (acks from all in-sync replicas) and rejects otherwise; the caller then retries.
 */
export interface ReadingSink {
  forward(readings: readonly ForwardedReading[]): Promise<void>;
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
}
