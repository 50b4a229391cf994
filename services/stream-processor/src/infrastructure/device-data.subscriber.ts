import { vitalTopics } from '@realtime-platform/platform-contract';
import {
  bufferCodec,
  type BatchResult,
  type ConsumedRecord,
  type MessageBus,
  type Subscription,
  type TopicRecords,
} from '@realtime-platform/realtime-sdk';
import type {
  RejectedReading,
  SplitReadingsUseCase,
} from '../application/split-readings.use-case.js';
import type { VitalCodecs } from './vital-value.codecs.js';

export interface DeviceDataSubscriberOptions {
  /** The input topics (`RTP_TOPICS`, default `device_data`). */
  readonly topics: readonly string[];
  /** Shared group id; the bus's `RTP_CONSUMER_GROUP` when omitted. */
  readonly groupId?: string;
  /** Records per handler call and send (the SDK's default when omitted). */
  readonly maxBatchRecords?: number;
  /**
   * Partitions handled at once (default 2): while one batch waits for the brokers' acks, the
   * next partition's batch is split, so the CPU does not idle on round trips. Records of one
   * partition stay in order.
   */
  readonly partitionsConsumedConcurrently?: number;
}

/**
 * The rejection as the DLQ records it: an AggregateError of the health domain's coded errors. The
 * SDK's `rtp.dlq.error.code` header is the first coded error's code (the first problem, e.g.
 * `RTP_ERR_HEALTH_FIELD_OUT_OF_RANGE`), `rtp.dlq.error.message` is every problem's message, and
 * none is retriable.
 */
export function rejectionError(rejection: RejectedReading): AggregateError {
  return new AggregateError(rejection.errors, rejection.reason);
}

/**
 * Consumes `device_data` in shared mode (the replicas split its partitions: the service scales
 * by consumer group) with the SDK's batch handler: each batch's vital records and dead letters
 * go out in one send, and the batch is committed only once the brokers acknowledged them.
 */
export class DeviceDataSubscriber {
  constructor(
    private readonly bus: MessageBus,
    private readonly useCase: SplitReadingsUseCase,
    private readonly codecs: VitalCodecs,
    private readonly options: DeviceDataSubscriberOptions,
  ) {}

  start(): Promise<Subscription> {
    return this.bus.subscribe<Buffer>({
      topics: this.options.topics,
      mode: 'shared',
      // Readings are decoded and validated by the use case, so every rejection carries the
      // health domain's reasons (bad UTF-8 and bad JSON included).
      codec: bufferCodec,
      // A new group starts at the beginning: readings written before the first start are split too.
      fromBeginning: true,
      ...(this.options.groupId === undefined ? {} : { groupId: this.options.groupId }),
      ...(this.options.maxBatchRecords === undefined
        ? {}
        : { maxBatchRecords: this.options.maxBatchRecords }),
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 2,
      batchHandler: (records) => this.handle(records),
    });
  }

  private handle(records: readonly ConsumedRecord<Buffer>[]): BatchResult {
    const { outputs, rejected } = this.useCase.execute(records);
    const topicRecords: TopicRecords[] = [];
    for (const topic of vitalTopics) {
      const codec = this.codecs.byTopic.get(topic);
      const vital = outputs.get(topic);
      if (codec === undefined || vital === undefined || vital.length === 0) continue;
      // A VitalOutput is an OutgoingRecord (key, value, timestamp, headers): no copy.
      topicRecords.push({ topic, codec, records: vital } as TopicRecords);
    }
    return {
      outputs: topicRecords,
      rejected: rejected.map((rejection) => ({
        index: rejection.index,
        error: rejectionError(rejection),
      })),
    };
  }
}
