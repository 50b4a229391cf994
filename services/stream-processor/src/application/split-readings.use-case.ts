import type { RealtimePlatformError } from '@realtime-platform/errors';
import { parseReading, type VitalTopic } from '@realtime-platform/health-domain';
import { vitalTopics } from '@realtime-platform/platform-contract';
import {
  vitalOutputsOf,
  type SourceRecord,
  type VitalOutput,
} from '../domain/vital-output.policy.js';
import type { ProcessorMetricsPort } from './ports/processor-metrics.port.js';

/** One `device_data` record: its raw value (JSON `HealthData`), timestamp and headers. */
export interface IncomingReading extends SourceRecord {
  readonly value: Buffer | Uint8Array;
}

/** A reading that is not a valid `HealthData`, with every problem found. */
export interface RejectedReading {
  /** Its position in the batch. */
  readonly index: number;
  /** The code of the first problem, e.g. `RTP_ERR_HEALTH_FIELD_OUT_OF_RANGE`. */
  readonly reasonCode: string;
  /** Every problem's message, joined by `; `. */
  readonly reason: string;
  readonly errors: readonly RealtimePlatformError[];
}

export interface SplitReadingsOptions {
  /** Reading timestamps later than `now()` plus this are rejected (default 5 minutes). */
  readonly maxFutureSkewMs?: number;
  /** The clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

export interface SplitBatch {
  /** Per vital topic, in `vitalTopics` order, the records in input order. */
  readonly outputs: ReadonlyMap<VitalTopic, readonly VitalOutput[]>;
  readonly rejected: readonly RejectedReading[];
}

/**
 * Splits a batch of `device_data` records: each valid reading into its four vital records,
 * each invalid one (not UTF-8, not JSON, not a valid `HealthData`) into a rejection with its
 * reasons. Pure apart from the metrics and the clock (a reading stamped too far in the future is
 * rejected); the caller sends both and only then commits the batch.
 */
export class SplitReadingsUseCase {
  constructor(
    private readonly metrics: ProcessorMetricsPort,
    private readonly options: SplitReadingsOptions = {},
  ) {}

  execute(batch: readonly IncomingReading[]): SplitBatch {
    // vitalOutputsOf answers the topics in `vitalTopics` order: one array per position.
    const perTopic: VitalOutput[][] = vitalTopics.map(() => []);
    const rejected: RejectedReading[] = [];
    let split = 0;
    let ignored = 0;
    const validation = {
      now: (this.options.now ?? Date.now)(),
      ...(this.options.maxFutureSkewMs === undefined
        ? {}
        : { maxFutureSkewMs: this.options.maxFutureSkewMs }),
    };
    for (let index = 0; index < batch.length; index += 1) {
      const incoming = batch[index] as IncomingReading;
      const parsed = parseReading(incoming.value, validation);
      if (!parsed.ok) {
        const { reasonCode, reason, errors } = parsed;
        rejected.push({ index, reasonCode, reason, errors });
        this.metrics.readingRejected(reasonCode);
        continue;
      }
      const outputs = vitalOutputsOf(parsed.reading, incoming);
      for (let position = 0; position < outputs.length; position += 1) {
        (perTopic[position] as VitalOutput[]).push(outputs[position] as VitalOutput);
      }
      split += 1;
      ignored += parsed.ignoredFields.length;
    }
    if (split > 0) this.metrics.readingsSplit(split);
    if (ignored > 0) this.metrics.fieldsIgnored(ignored);
    return {
      outputs: new Map(vitalTopics.map((topic, position) => [topic, perTopic[position] ?? []])),
      rejected,
    };
  }
}
