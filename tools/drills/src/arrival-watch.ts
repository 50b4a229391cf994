import { vitalTopicSchemas } from '@realtime-platform/health-domain';
import { avroCodec, SchemaRegistryClient, type AvroSchema } from '@realtime-platform/realtime-sdk';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import pg from 'pg';
import { storedAlertIds, type AuditTarget } from './pipeline-audit.js';
import { readingIdOf } from './reading-stream.js';

const heartRateTopic = 'heart_rate_device_topic';

/**
 * Watches the end of the pipeline while a drill runs: when each reading reached the heart-rate
 * topic, and when each alert of the drill's devices appeared in the realtime service's database.
 * From these a drill knows that everything arrived (rather than sleeping and hoping) and how long
 * the pipeline took to deliver again after a fault.
 */
export class ArrivalWatch {
  /** Reading id → when it first reached the heart-rate topic (epoch ms). */
  readonly readings = new Map<string, number>();
  /** Alert id → when the watch first saw it stored (epoch ms). */
  readonly alerts = new Map<string, number>();
  private alertPrefixes = new Set<string>();
  private polling: NodeJS.Timeout | undefined;
  private polls = Promise.resolve();

  private constructor(
    private readonly consumer: Consumer,
    private readonly database: pg.ClientConfig,
  ) {}

  static async start(options: AuditTarget): Promise<ArrivalWatch> {
    const kafka = new Kafka({
      ...options.kafka,
      clientId: 'drill-watch',
      logLevel: logLevel.NOTHING,
      retry: { retries: 100, maxRetryTime: 2000 },
    });
    const consumer = kafka.consumer({ groupId: `drill-watch-${process.hrtime.bigint()}` });
    const watch = new ArrivalWatch(consumer, options.database);
    const codec = avroCodec<{ deviceId: string; createdTime: number }>({
      registry: new SchemaRegistryClient(options.schemaRegistry),
      schema: vitalTopicSchemas[heartRateTopic] as unknown as AvroSchema,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [heartRateTopic], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value === null) return;
        const record = await codec.decode(message.value, { topic: heartRateTopic });
        const id = readingIdOf(record.deviceId, Number(record.createdTime));
        if (!watch.readings.has(id)) watch.readings.set(id, Date.now());
      },
    });
    watch.polling = setInterval(() => {
      watch.polls = watch.polls.then(() => watch.pollAlerts()).catch(() => undefined);
    }, 250);
    return watch;
  }

  /** Starts following the stored alerts of `<prefix>-*` devices. */
  followAlerts(prefix: string): void {
    this.alertPrefixes.add(prefix);
  }

  /** When the first of these readings reached the heart-rate topic, if any did. */
  firstArrivalOf(ids: readonly string[]): number | undefined {
    let first: number | undefined;
    for (const id of ids) {
      const at = this.readings.get(id);
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  /**
   * When the first alert of `prefix` devices for a measurement taken at or after `measuredSince`
   * was seen stored. Alert ids are `<rule>/<recordedAt>/<deviceId>` (device ids hold no "/").
   */
  firstAlertOfReadingsAfter(prefix: string, measuredSince: number): number | undefined {
    let first: number | undefined;
    for (const [id, at] of this.alerts) {
      const [, recordedAt, deviceId] = id.split('/');
      if (!deviceId?.startsWith(`${prefix}-`) || Number(recordedAt) < measuredSince) continue;
      if (first === undefined || at < first) first = at;
    }
    return first;
  }

  async stop(): Promise<void> {
    clearInterval(this.polling);
    await this.polls;
    await this.consumer.disconnect().catch(() => undefined);
  }

  private async pollAlerts(): Promise<void> {
    for (const prefix of this.alertPrefixes) {
      const now = Date.now();
      // The database may be the fault being drilled: a failed poll is simply tried again.
      for (const id of await storedAlertIds(
        { ...this.database, connectionTimeoutMillis: 1000 },
        prefix,
      )) {
        if (!this.alerts.has(id)) this.alerts.set(id, now);
      }
    }
  }
}
