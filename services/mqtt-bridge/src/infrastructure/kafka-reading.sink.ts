import type { HealthData } from '@realtime-platform/health-domain';
import {
  bufferCodec,
  deadLetterHeaders,
  jsonCodec,
  type MessageBus,
} from '@realtime-platform/realtime-sdk';
import type {
  DeadLetter,
  ForwardedReading,
  ReadingSink,
} from '../application/ports/reading-sink.port.js';

/** Header of a dead letter whose value was cut: the size of the payload as received. */
export const payloadTruncatedHeader = 'rtp.dlq.payload.truncated';

const maxMessageLength = 1000;

export interface KafkaReadingSinkOptions {
  /** `device_data` (RTP_OUTPUT_TOPIC). */
  readonly outputTopic: string;
  /** `device_data.dlq` (the contract's `dlqTopicName`). */
  readonly deadLetterTopic: string;
  /** Goes into `rtp.dlq.consumer.group`: who gave up on the payload (the service name). */
  readonly origin: string;
  readonly now?: () => Date;
}

/**
 * The Kafka side, through the SDK's MessageBus port (idempotent producer, acks from all in-sync
 * replicas). Readings are JSON with exactly the `HealthData` fields, keyed by deviceId; dead
 * letters carry the raw payload and the SDK's DLQ headers (reason `decode`: the payload could not
 * be read as a reading).
 */
export class KafkaReadingSink implements ReadingSink {
  private readonly readingCodec = jsonCodec<HealthData>();
  private readonly now: () => Date;

  constructor(
    private readonly bus: MessageBus,
    private readonly options: KafkaReadingSinkOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  forward(readings: readonly ForwardedReading[]): Promise<void> {
    return this.bus.publish(
      this.options.outputTopic,
      readings.map(({ key, reading }) => ({ key, value: reading })),
      this.readingCodec,
    );
  }

  deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    const failedAt = this.now().toISOString();
    return this.bus.publish(
      this.options.deadLetterTopic,
      letters.map((letter) => {
        const headers: Record<string, string> = {
          [deadLetterHeaders.reason]: 'decode',
          [deadLetterHeaders.errorCode]: letter.reasonCode,
          [deadLetterHeaders.errorMessage]: letter.reason.slice(0, maxMessageLength),
          [deadLetterHeaders.retriable]: 'false',
          [deadLetterHeaders.originalTopic]: letter.sourceTopic,
          [deadLetterHeaders.consumerGroup]: this.options.origin,
          [deadLetterHeaders.attempts]: '0',
          [deadLetterHeaders.failedAt]: failedAt,
        };
        if (letter.payloadBytes > letter.payload.length) {
          headers[payloadTruncatedHeader] = String(letter.payloadBytes);
        }
        return {
          ...(letter.key === undefined ? {} : { key: letter.key }),
          value: letter.payload,
          headers,
        };
      }),
      bufferCodec,
    );
  }
}
