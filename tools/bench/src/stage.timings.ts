import type { LocalPlatform, PlatformServiceName } from '@realtime-platform/local-platform';

/** A stage of the realtime path, from one histogram of one service's `/metrics`. */
export interface StageTiming {
  readonly stage: string;
  /** Upper bounds of the histogram buckets the quantiles fall in (ms). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly count: number;
}

/** Cumulative bucket counts (`le` in seconds → count), sum and count of one histogram series. */
interface HistogramSnapshot {
  readonly buckets: ReadonlyMap<number, number>;
  readonly sum: number;
  readonly count: number;
}

type Snapshot = ReadonlyMap<string, HistogramSnapshot>;

const stages: readonly {
  readonly stage: string;
  readonly service: PlatformServiceName;
  readonly metric: string;
  readonly subscription?: string;
}[] = [
  {
    stage: 'bridge: reading → Kafka ack',
    service: 'mqtt-bridge',
    metric: 'rtp_mqtt_bridge_forward_delay_seconds',
  },
  {
    stage: 'processor: device_data → handler',
    service: 'stream-processor',
    metric: 'rtp_kafka_record_delay_seconds',
    subscription: 'stream-processor',
  },
  {
    stage: 'processor: split + produce',
    service: 'stream-processor',
    metric: 'rtp_kafka_handler_seconds',
    subscription: 'stream-processor',
  },
  {
    stage: 'realtime-service: device_data → live handler',
    service: 'realtime-service',
    metric: 'rtp_kafka_record_delay_seconds',
    subscription: 'realtime-service',
  },
  {
    stage: 'realtime-service: decode (Avro)',
    service: 'realtime-service',
    metric: 'rtp_kafka_decode_seconds',
    subscription: 'realtime-service',
  },
  {
    stage: 'realtime-service: hub publish',
    service: 'realtime-service',
    metric: 'rtp_kafka_handler_seconds',
    subscription: 'realtime-service',
  },
  {
    stage: 'alerts: device_data → rules',
    service: 'realtime-service',
    metric: 'rtp_kafka_record_delay_seconds',
    subscription: 'realtime-service.alert-rules',
  },
  {
    stage: 'alerts: evaluation + PostgreSQL',
    service: 'realtime-service',
    metric: 'rtp_kafka_handler_seconds',
    subscription: 'realtime-service.alert-rules',
  },
];

const seriesKey = (metric: string, subscription: string | undefined): string =>
  subscription === undefined ? metric : `${metric}{subscription=${subscription}}`;

/** The histograms of one `/metrics` text, keyed as `seriesKey` does (other labels ignored). */
export function parseHistograms(text: string): Map<string, HistogramSnapshot> {
  const found = new Map<string, { buckets: Map<number, number>; sum: number; count: number }>();
  const line = /^([a-z_]+)_(bucket|sum|count)(?:\{([^}]*)\})? (\S+)$/gm;
  for (const match of text.matchAll(line)) {
    const [, metric = '', part, labels = '', value] = match;
    const subscription = /subscription="([^"]*)"/.exec(labels)?.[1];
    const key = seriesKey(metric, subscription);
    let entry = found.get(key);
    if (entry === undefined) {
      entry = { buckets: new Map(), sum: 0, count: 0 };
      found.set(key, entry);
    }
    if (part === 'bucket') {
      const le = /le="([^"]*)"/.exec(labels)?.[1];
      entry.buckets.set(le === '+Inf' ? Infinity : Number(le), Number(value));
    } else if (part === 'sum') entry.sum = Number(value);
    else entry.count = Number(value);
  }
  return found;
}

/** The bucket bound (ms) at which the cumulative count reaches quantile `q` of the window. */
function quantileMs(buckets: readonly [number, number][], total: number, q: number): number {
  for (const [le, count] of buckets) if (count >= q * total) return le * 1000;
  return Infinity;
}

/**
 * Reads every stage's histogram from the services' `/metrics`. Given `since` (an earlier
 * snapshot), answers the timings of the window between; else the snapshot to pass later.
 */
export async function stageTimings(platform: LocalPlatform): Promise<Snapshot>;
export async function stageTimings(
  platform: LocalPlatform,
  since: Snapshot,
): Promise<StageTiming[]>;
export async function stageTimings(
  platform: LocalPlatform,
  since?: Snapshot,
): Promise<Snapshot | StageTiming[]> {
  const snapshot = new Map<string, HistogramSnapshot>();
  const services = [...new Set(stages.map((stage) => stage.service))];
  for (const service of services) {
    const text = await (await fetch(`${platform.service(service).url}/metrics`)).text();
    for (const [key, histogram] of parseHistograms(text))
      snapshot.set(`${service} ${key}`, histogram);
  }
  if (since === undefined) return snapshot;
  const timings: StageTiming[] = [];
  for (const { stage, service, metric, subscription } of stages) {
    const key = `${service} ${seriesKey(metric, subscription)}`;
    const now = snapshot.get(key);
    if (now === undefined) continue;
    const before = since.get(key);
    const count = now.count - (before?.count ?? 0);
    if (count <= 0) continue;
    const buckets = [...now.buckets]
      .map(([le, value]): [number, number] => [le, value - (before?.buckets.get(le) ?? 0)])
      .sort((a, b) => a[0] - b[0]);
    timings.push({
      stage,
      p50Ms: quantileMs(buckets, count, 0.5),
      p99Ms: quantileMs(buckets, count, 0.99),
      meanMs: ((now.sum - (before?.sum ?? 0)) / count) * 1000,
      count,
    });
  }
  return timings;
}
