import { randomUUID } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import type { MqttUser } from '@realtime-platform/local-infra';
import { reading, readingId } from '@realtime-platform/testkit';

export interface PublisherCounts {
  /** Readings handed to the client. */
  readonly published: number;
  /** Readings the broker acknowledged (PUBACK): the ones that must not be lost. */
  readonly acknowledged: number;
  /** Reading ids with a PUBACK. */
  readonly acknowledgedIds: ReadonlySet<string>;
}

/**
 * A device fleet as one gateway connection: QoS 1 readings at a steady rate to the requirements'
 * topic, counting the broker's PUBACKs — what a device would consider delivered. It reconnects on
 * its own (mqtt.js) when the broker goes away, and resends what was never acknowledged.
 */
export class CountingPublisher {
  private readonly ids = new Set<string>();
  private published = 0;
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;

  private constructor(private readonly client: MqttClient) {}

  static async start(url: string, user: MqttUser): Promise<CountingPublisher> {
    const client = connect(url, {
      ...user,
      clientId: `fleet-${randomUUID()}`,
      protocolVersion: 4,
      reconnectPeriod: 250,
      connectTimeout: 2000,
    });
    // Errors while the broker is down are expected; mqtt.js keeps reconnecting.
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    return new CountingPublisher(client);
  }

  /** Publishes `perSecond` readings a second (in ticks of 10 ms) over `devices` devices. */
  run(perSecond: number, devices: number): void {
    const perTick = perSecond / 100;
    let owed = 0;
    const base = 1_767_225_600_000;
    this.timer = setInterval(() => {
      owed += perTick;
      for (; owed >= 1; owed -= 1) {
        const n = this.sequence++;
        const value = reading({ deviceId: `fleet-${n % devices}`, timestamp: base + n });
        const id = readingId(value);
        this.published += 1;
        this.client.publish(deviceMqttTopic, JSON.stringify(value), { qos: 1 }, (error) => {
          if (error === undefined || error === null) this.ids.add(id);
        });
      }
    }, 10);
  }

  /** Stops publishing and waits until nothing is left unacknowledged (or `timeoutMs`). */
  async stop(timeoutMs = 60_000): Promise<PublisherCounts> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.ids.size < this.published && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.client.endAsync(true);
    return this.counts();
  }

  counts(): PublisherCounts {
    return { published: this.published, acknowledged: this.ids.size, acknowledgedIds: this.ids };
  }
}
