import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { stageSecondsBuckets } from '@realtime-platform/realtime-sdk';
import type { BridgeMetrics } from '../application/ports/bridge-metrics.port.js';

/**
 * The bridge's series, in the SDK's registry (so `/metrics` serves them next to the SDK's):
 * `rtp_mqtt_bridge_*`. The only label is the DLQ reason code, a bounded set.
 */
export class PrometheusBridgeMetrics implements BridgeMetrics {
  private readonly receivedTotal: Counter;
  private readonly redeliveredTotal: Counter;
  private readonly forwardedTotal: Counter;
  private readonly deadLetteredTotal: Counter<'code'>;
  private readonly inFlightGauge: Gauge;
  private readonly writeFailuresTotal: Counter;
  private readonly batchSize: Histogram;
  private readonly qos0DroppedTotal: Counter;
  private readonly forwardDelay: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.receivedTotal = new Counter({
      name: 'rtp_mqtt_bridge_readings_received_total',
      help: 'MQTT messages received on the readings subscription',
      registers,
    });
    this.redeliveredTotal = new Counter({
      name: 'rtp_mqtt_bridge_readings_redelivered_total',
      help: 'MQTT messages the broker sent again (DUP): possible duplicates in Kafka',
      registers,
    });
    this.forwardedTotal = new Counter({
      name: 'rtp_mqtt_bridge_readings_forwarded_total',
      help: 'readings written to the output topic (acks=all), then acknowledged to MQTT',
      registers,
    });
    this.deadLetteredTotal = new Counter({
      name: 'rtp_mqtt_bridge_readings_dead_lettered_total',
      help: 'payloads written to the DLQ, then acknowledged to MQTT, by reason code',
      labelNames: ['code'],
      registers,
    });
    this.inFlightGauge = new Gauge({
      name: 'rtp_mqtt_bridge_readings_in_flight',
      help: 'MQTT messages received and not yet acknowledged (waiting for Kafka)',
      registers,
    });
    this.writeFailuresTotal = new Counter({
      name: 'rtp_mqtt_bridge_kafka_write_failures_total',
      help: 'Kafka writes that failed and were retried (their messages stay unacknowledged)',
      registers,
    });
    this.forwardDelay = new Histogram({
      name: 'rtp_mqtt_bridge_forward_delay_seconds',
      help: 'reading timestamp (device) to Kafka acknowledgement, per forwarded reading',
      buckets: stageSecondsBuckets,
      registers,
    });
    this.batchSize = new Histogram({
      name: 'rtp_mqtt_bridge_batch_size',
      help: 'MQTT messages per Kafka write',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
      registers,
    });
    this.qos0DroppedTotal = new Counter({
      name: 'rtp_mqtt_bridge_qos0_dropped_total',
      help: 'QoS 0 readings dropped (oldest first) because more than RTP_MQTT_QOS0_QUEUE_LIMIT waited for Kafka',
      registers,
    });
  }

  received(count: number): void {
    this.receivedTotal.inc(count);
  }
  redelivered(count: number): void {
    this.redeliveredTotal.inc(count);
  }
  forwarded(count: number): void {
    this.forwardedTotal.inc(count);
  }
  deadLettered(reasonCode: string, count: number): void {
    this.deadLetteredTotal.inc({ code: reasonCode }, count);
  }
  inFlight(count: number): void {
    this.inFlightGauge.set(count);
  }
  writeFailed(): void {
    this.writeFailuresTotal.inc();
  }
  batchWritten(size: number): void {
    this.batchSize.observe(size);
  }
  qos0Dropped(count: number): void {
    this.qos0DroppedTotal.inc(count);
  }
  forwardDelays(seconds: readonly number[]): void {
    for (const value of seconds) this.forwardDelay.observe(Math.max(0, value));
  }
}
