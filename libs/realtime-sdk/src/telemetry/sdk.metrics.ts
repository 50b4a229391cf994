import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface SdkMetricsOptions {
  /** Defaults to a new registry (never the global one, so two SDK instances never collide). */
  readonly registry?: Registry;
  /** Process metrics (CPU, memory, event loop lag); default true. */
  readonly defaultMetrics?: boolean;
  /** Labels on every series, e.g. `{ service: 'vitals-gateway' }`. */
  readonly defaultLabels?: Record<string, string>;
}

type Labels<K extends string> = Record<K, string>;

/** A counter whose labelled children are cached: `labels()` hashes on every call otherwise. */
class CachedCounter<K extends string> {
  private readonly children = new Map<string, ReturnType<Counter<K>['labels']>>();
  constructor(readonly counter: Counter<K>) {}
  inc(labels: Labels<K>, value = 1): void {
    const id = Object.values(labels).join('\u0000');
    let child = this.children.get(id);
    if (child === undefined) {
      child = this.counter.labels(labels);
      this.children.set(id, child);
    }
    child.inc(value);
  }
}

/** A histogram whose labelled children are cached, like `CachedCounter`. */
class CachedHistogram<K extends string> {
  private readonly children = new Map<string, ReturnType<Histogram<K>['labels']>>();
  constructor(readonly histogram: Histogram<K>) {}
  observe(labels: Labels<K>, value: number): void {
    const id = Object.values(labels).join('\u0000');
    let child = this.children.get(id);
    if (child === undefined) {
      child = this.histogram.labels(labels);
      this.children.set(id, child);
    }
    child.observe(value);
  }
}

/** Seconds, from 1 ms to 10 s: where the realtime path's stages fall. */
export const stageSecondsBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The SDK's Prometheus series (prom-client), served at `/metrics`. Names are `rtp_<area>_<what>`
 * with the unit or `_total` suffix; labels are bounded (topic, partition, close code), never
 * per-client or per-device.
 */
export class SdkMetrics {
  readonly registry: Registry;
  readonly kafkaRecordsConsumed: CachedCounter<'topic'>;
  readonly kafkaRecordsProduced: CachedCounter<'topic'>;
  readonly kafkaHandlerErrors: CachedCounter<'topic' | 'code' | 'retriable'>;
  readonly kafkaDeadLettered: CachedCounter<'topic' | 'reason'>;
  readonly kafkaConsumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly kafkaConsumerRestarts: CachedCounter<'group'>;
  readonly kafkaConsumerRetrying: Gauge<'group'>;
  /** Record timestamp → handed to the handler (per record): how far behind the consumer is. */
  readonly kafkaRecordDelay: CachedHistogram<'subscription'>;
  /** Decoding one record or one batch chunk. */
  readonly kafkaDecodeSeconds: CachedHistogram<'subscription'>;
  /** One handler call (record or batch), with a batch's outputs produced. */
  readonly kafkaHandlerSeconds: CachedHistogram<'subscription'>;
  readonly wsClients: Gauge;
  readonly wsFramesSent: Counter;
  readonly wsFramesDropped: Counter;
  readonly wsClientsClosed: CachedCounter<'code'>;
  readonly wsAuthRejected: CachedCounter<'reason'>;
  readonly wsConnectionsRefused: CachedCounter<'reason'>;
  readonly accessDecisions: CachedCounter<'action' | 'decision' | 'reason'>;
  readonly mqttMessagesReceived: CachedCounter<'filter'>;
  readonly mqttMessagesPublished: CachedCounter<'topic'>;
  readonly mqttPayloadErrors: Counter;

  constructor(options: SdkMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const counter = <K extends string>(name: string, help: string, labelNames: K[]) =>
      new CachedCounter(new Counter<K>({ name, help, labelNames, registers }));

    this.kafkaRecordsConsumed = counter(
      'rtp_kafka_records_consumed_total',
      'Kafka records handled (successfully or dead-lettered)',
      ['topic'],
    );
    this.kafkaRecordsProduced = counter(
      'rtp_kafka_records_produced_total',
      'Kafka records acknowledged by the brokers (acks=all)',
      ['topic'],
    );
    this.kafkaHandlerErrors = counter(
      'rtp_kafka_handler_errors_total',
      'handler attempts that threw, by error code and retriable flag',
      ['topic', 'code', 'retriable'],
    );
    this.kafkaDeadLettered = counter(
      'rtp_kafka_dlq_records_total',
      'records written to <topic>.dlq, by reason (decode, handler)',
      ['topic', 'reason'],
    );
    this.kafkaConsumerLag = new Gauge({
      name: 'rtp_kafka_consumer_lag',
      help: 'high watermark minus the next offset to process, per partition, at the last batch',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.kafkaConsumerRestarts = counter(
      'rtp_kafka_consumer_restarts_total',
      'consumers recreated after a crash kafkajs would not restart itself',
      ['group'],
    );
    this.kafkaConsumerRetrying = new Gauge({
      name: 'rtp_kafka_consumer_retrying',
      help: 'partitions held by retriable failures (registry, database, Kafka away): waiting, not dead-lettering',
      labelNames: ['group'],
      registers,
    });
    const histogram = (name: string, help: string) =>
      new CachedHistogram(
        new Histogram<'subscription'>({
          name,
          help,
          labelNames: ['subscription'],
          buckets: stageSecondsBuckets,
          registers,
        }),
      );
    this.kafkaRecordDelay = histogram(
      'rtp_kafka_record_delay_seconds',
      'record timestamp to handler, per record: the delay behind the producer (subscription: the group id without the broadcast suffix)',
    );
    this.kafkaDecodeSeconds = histogram(
      'rtp_kafka_decode_seconds',
      'decoding a record, or a batch handler chunk',
    );
    this.kafkaHandlerSeconds = histogram(
      'rtp_kafka_handler_seconds',
      'a handler call (record, or batch with its outputs produced)',
    );
    this.wsClients = new Gauge({
      name: 'rtp_ws_clients',
      help: 'connected WebSocket clients',
      registers,
    });
    this.wsFramesSent = new Counter({
      name: 'rtp_ws_frames_sent_total',
      help: 'frames written to WebSocket clients',
      registers,
    });
    this.wsFramesDropped = new Counter({
      name: 'rtp_ws_frames_dropped_total',
      help: 'data frames dropped from full client queues (clients see a gap frame)',
      registers,
    });
    this.wsClientsClosed = counter(
      'rtp_ws_clients_closed_total',
      'WebSocket clients closed by the server, by close code',
      ['code'],
    );
    this.wsAuthRejected = counter(
      'rtp_ws_auth_rejected_total',
      'WebSocket upgrades refused for their token or auth settings (401/403), by reason',
      ['reason'],
    );
    this.wsConnectionsRefused = counter(
      'rtp_ws_connections_refused_total',
      'WebSocket connections refused because the hub holds maxConnections clients',
      ['reason'],
    );
    this.accessDecisions = counter(
      'rtp_access_decisions_total',
      'access decisions of the audit log (connect, subscribe, read), by decision and reason code',
      ['action', 'decision', 'reason'],
    );
    this.mqttMessagesReceived = counter(
      'rtp_mqtt_messages_received_total',
      'MQTT messages delivered to handlers, by subscription filter (bounded, unlike topics)',
      ['filter'],
    );
    this.mqttMessagesPublished = counter(
      'rtp_mqtt_messages_published_total',
      'MQTT messages acknowledged (QoS 1 PUBACK)',
      ['topic'],
    );
    this.mqttPayloadErrors = new Counter({
      name: 'rtp_mqtt_payload_errors_total',
      help: 'MQTT messages whose payload was not JSON',
      registers,
    });
  }

  /** The exposition text of `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
