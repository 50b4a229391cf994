import { isRealtimePlatformError, walkErrorChain } from '@realtime-platform/errors';

/** Header names of dead-lettered records (values are UTF-8 strings). */
export const deadLetterHeaders = {
  /** `decode` (the codec could not read it) or `handler` (the handler kept failing). */
  reason: 'rtp.dlq.reason',
  /** The first coded error's `code` in the cause chain, else the error's `name`. */
  errorCode: 'rtp.dlq.error.code',
  errorMessage: 'rtp.dlq.error.message',
  retriable: 'rtp.dlq.error.retriable',
  originalTopic: 'rtp.dlq.original.topic',
  originalPartition: 'rtp.dlq.original.partition',
  originalOffset: 'rtp.dlq.original.offset',
  originalTimestamp: 'rtp.dlq.original.timestamp',
  consumerGroup: 'rtp.dlq.consumer.group',
  attempts: 'rtp.dlq.attempts',
  failedAt: 'rtp.dlq.failed.at',
} as const;

export type DeadLetterReason = 'decode' | 'handler';

const maxMessageLength = 1000;

/** The code that explains `error`: the first coded error in its chain, else its name. */
export function errorCodeOf(error: unknown): string {
  for (const candidate of walkErrorChain(error)) {
    if (isRealtimePlatformError(candidate)) return candidate.code;
  }
  if (error instanceof Error)
    return (error as Error & { code?: unknown }).code?.toString() ?? error.name;
  return 'UNKNOWN';
}

export interface DeadLetterContext {
  readonly reason: DeadLetterReason;
  readonly error: unknown;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly groupId: string;
  readonly attempts: number;
  readonly retriable: boolean;
}

/**
 * The headers a dead-lettered record carries on top of its original headers (original key and
 * value bytes are copied unchanged, so the record can be replayed once the cause is fixed).
 */
export function deadLetterHeadersFor(
  context: DeadLetterContext,
  now = new Date(),
): Record<string, string> {
  const message = context.error instanceof Error ? context.error.message : String(context.error);
  return {
    [deadLetterHeaders.reason]: context.reason,
    [deadLetterHeaders.errorCode]: errorCodeOf(context.error),
    [deadLetterHeaders.errorMessage]: message.slice(0, maxMessageLength),
    [deadLetterHeaders.retriable]: String(context.retriable),
    [deadLetterHeaders.originalTopic]: context.topic,
    [deadLetterHeaders.originalPartition]: String(context.partition),
    [deadLetterHeaders.originalOffset]: context.offset,
    [deadLetterHeaders.originalTimestamp]: context.timestamp,
    [deadLetterHeaders.consumerGroup]: context.groupId,
    [deadLetterHeaders.attempts]: String(context.attempts),
    [deadLetterHeaders.failedAt]: now.toISOString(),
  };
}
