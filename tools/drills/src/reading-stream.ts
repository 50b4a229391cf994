import type { HealthData } from '@realtime-platform/health-domain';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

/**
 * Heart rates of the drill's readings, chosen against the realtime service's default rule
 * `heart-rate` (40..130 bpm): it trips on the breach value only.
 */
export const normalHeartRate = 72;
export const breachHeartRate = 190;
/** Every `episodeLength`-th reading of a device (offset `breachAt`) is a breach, then it recovers. */
const episodeLength = 10;
const breachAt = 5;

/** The identity the drill counts a reading by, wherever it shows up: `<deviceId>@<timestamp>`. */
export const readingIdOf = (deviceId: string, timestamp: number): string =>
  `${deviceId}@${timestamp}`;

export interface PublishedReading {
  readonly id: string;
  readonly deviceId: string;
  readonly timestamp: number;
  readonly breach: boolean;
  /** When the publish was handed to the client (epoch ms). */
  readonly sentAt: number;
  /** When the broker's PUBACK arrived (epoch ms), if it did. */
  ackedAt?: number;
}

export interface ReadingStreamOptions {
  readonly mqttUrl: string;
  readonly credentials: Pick<IClientOptions, 'username' | 'password'>;
  readonly topic: string;
  /** Device ids `<prefix>-<n>`: each drill its own, so their counts never mix. */
  readonly devicePrefix: string;
  readonly devices: number;
  /** Readings per second over all devices. */
  readonly rate: number;
  /** MQTT client id of the publisher (a persistent session, so queued publishes survive). */
  readonly clientId: string;
}

/**
 * Devices publishing valid readings over MQTT QoS 1 at a steady rate, as a gateway would: one
 * client, persistent session, unacknowledged publishes resent by mqtt.js after a reconnect. It
 * keeps every reading it sent and when its PUBACK came, so a drill can tell acknowledged readings
 * from the ones the broker never confirmed. Every tenth reading of a device is a heart-rate breach
 * followed by normal readings again: one expected alert per breach.
 */
export class ReadingStream {
  readonly readings: PublishedReading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly counters: number[];
  private readonly lastTimestamp: number[];
  private next = 0;
  private pending = new Set<Promise<unknown>>();

  private constructor(
    private readonly client: MqttClient,
    private readonly options: ReadingStreamOptions,
  ) {
    this.counters = Array.from({ length: options.devices }, () => 0);
    this.lastTimestamp = Array.from({ length: options.devices }, () => 0);
  }

  static async connect(options: ReadingStreamOptions): Promise<ReadingStream> {
    const client = await connectAsync(options.mqttUrl, {
      ...options.credentials,
      clientId: options.clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 3600 },
      reconnectPeriod: 250,
      connectTimeout: 5_000,
    });
    // Errors while the broker is away are expected in a drill; mqtt.js reconnects by itself.
    client.on('error', () => undefined);
    return new ReadingStream(client, options);
  }

  get deviceIds(): string[] {
    return this.counters.map((_, n) => `${this.options.devicePrefix}-${n}`);
  }

  /** Starts publishing at the configured rate (in ticks of 20 ms). */
  start(): void {
    const tickMs = 20;
    let carry = 0;
    this.timer = setInterval(() => {
      carry += (this.options.rate * tickMs) / 1000;
      for (; carry >= 1; carry -= 1) this.publishOne();
    }, tickMs);
  }

  /** Stops publishing, then waits up to `timeoutMs` for the outstanding PUBACKs. */
  async stop(timeoutMs = 60_000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.client.endAsync(true).catch(() => undefined);
  }

  acknowledged(): PublishedReading[] {
    return this.readings.filter((reading) => reading.ackedAt !== undefined);
  }

  private publishOne(): void {
    const device = this.next % this.options.devices;
    this.next += 1;
    const index = this.counters[device] ?? 0;
    this.counters[device] = index + 1;
    // Strictly increasing per device, close to now (the pipeline refuses future timestamps).
    const timestamp = Math.max(Date.now(), (this.lastTimestamp[device] ?? 0) + 1);
    this.lastTimestamp[device] = timestamp;
    const deviceId = `${this.options.devicePrefix}-${device}`;
    const breach = index % episodeLength === breachAt;
    const payload: HealthData = {
      deviceId,
      timestamp,
      heartRate: breach ? breachHeartRate : normalHeartRate,
      systolic: 120,
      diastolic: 80,
      oxygenSaturation: 98,
      bodyTemperature: 36.8,
      latitude: 52.37,
      longitude: 4.89,
    };
    const reading: PublishedReading = {
      id: readingIdOf(deviceId, timestamp),
      deviceId,
      timestamp,
      breach,
      sentAt: Date.now(),
    };
    this.readings.push(reading);
    const sent = this.client
      .publishAsync(this.options.topic, JSON.stringify(payload), { qos: 1 })
      .then(
        () => {
          reading.ackedAt = Date.now();
        },
        () => undefined,
      )
      .finally(() => this.pending.delete(sent));
    this.pending.add(sent);
  }
}

/**
 * The alerts the realtime service must raise for these readings: every breach whose previous
 * reading of the device (by time) was not one, or that is the device's first. Computed from the
 * readings that reached the heart-rate topic, so a reading the broker never confirmed and never
 * delivered cannot be expected, and one it delivered without confirming is.
 */
export function expectedAlertIds(
  delivered: Iterable<PublishedReading>,
  ruleId = 'heart-rate',
): Set<string> {
  const byDevice = new Map<string, PublishedReading[]>();
  for (const reading of delivered) {
    const list = byDevice.get(reading.deviceId) ?? [];
    list.push(reading);
    byDevice.set(reading.deviceId, list);
  }
  const expected = new Set<string>();
  for (const [deviceId, readings] of byDevice) {
    let tripped = false;
    for (const { timestamp, breach } of readings.sort((a, b) => a.timestamp - b.timestamp)) {
      if (breach && !tripped) expected.add(`${ruleId}/${timestamp}/${deviceId}`);
      tripped = breach;
    }
  }
  return expected;
}
