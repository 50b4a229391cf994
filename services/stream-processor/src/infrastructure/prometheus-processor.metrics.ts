import { Counter, type Registry } from 'prom-client';
import type { ProcessorMetricsPort } from '../application/ports/processor-metrics.port.js';

/** The processor's series on the SDK's registry (served at `/metrics` with the SDK's own). */
export class PrometheusProcessorMetrics implements ProcessorMetricsPort {
  private readonly split: Counter;
  private readonly rejected: Counter<'code'>;
  private readonly ignored: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.split = new Counter({
      name: 'rtp_processor_readings_split_total',
      help: 'valid readings split into the four vital topics',
      registers,
    });
    this.rejected = new Counter({
      name: 'rtp_processor_readings_rejected_total',
      help: 'readings sent to the DLQ, by the code of their first problem',
      labelNames: ['code'],
      registers,
    });
    this.ignored = new Counter({
      name: 'rtp_processor_ignored_fields_total',
      help: 'unknown fields dropped from valid readings',
      registers,
    });
  }

  readingsSplit(count: number): void {
    this.split.inc(count);
  }

  readingRejected(reasonCode: string): void {
    this.rejected.inc({ code: reasonCode });
  }

  fieldsIgnored(count: number): void {
    this.ignored.inc(count);
  }
}
