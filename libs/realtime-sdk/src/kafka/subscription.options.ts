import { optionsValidator } from '../options/options.validator.js';
import { sdkErrors } from '../sdk.errors.js';
import { broadcastGroupId } from './consumer-group.naming.js';
import { contractAllowsGroup } from './kafka-access.errors.js';
import {
  retryPolicySchema,
  subscribeOptionsSchema,
  type KafkaBusOptions,
} from './kafka.options.js';
import type { RetryPolicy, SubscribeOptions } from './message-bus.port.js';
import type { DeliverySettings } from './record-delivery.js';

const validateSubscribeOptions = optionsValidator<SubscribeOptions<unknown>>(
  'kafka subscription',
  subscribeOptionsSchema,
  {},
);
const validateRetry = optionsValidator<RetryPolicy>(
  'kafka subscription retry',
  retryPolicySchema,
  {},
);

/** A subscription's options as every adapter takes them: validated, defaults applied, group named. */
export interface ResolvedSubscription<T> extends DeliverySettings<T> {
  readonly maxBytesPerPartition?: number | undefined;
  readonly fromBeginning: boolean;
  readonly partitionsConsumedConcurrently: number;
}

/** The one place subscribe options are checked and completed, for both adapters alike. */
export function resolveSubscription<T>(
  input: SubscribeOptions<T>,
  bus: KafkaBusOptions,
): ResolvedSubscription<T> {
  const options = validateSubscribeOptions(input) as SubscribeOptions<T>;
  if ((options.handler === undefined) === (options.batchHandler === undefined)) {
    throw sdkErrors.OPTIONS_INVALID({
      component: 'kafka subscription',
      problems: ['/options needs exactly one of handler and batchHandler'],
    });
  }
  const retry = validateRetry({ ...bus.retry, ...options.retry });
  const base = options.groupId ?? bus.consumerGroup;
  const groupId = options.mode === 'broadcast' ? broadcastGroupId(base, bus.instanceId) : base;
  // Said before the client tries: kafkajs reports a refused group only as "Failed to find group
  // coordinator". The broker's ACLs remain what enforces it.
  const username = bus.security?.username;
  if (username !== undefined && contractAllowsGroup(username, groupId) === false) {
    throw sdkErrors.KAFKA_NOT_AUTHORIZED({
      username,
      operation: 'consume in',
      resource: `group ${groupId}`,
      reason: 'the platform contract reserves this group for another principal',
    });
  }
  return {
    groupId,
    label: base,
    mode: options.mode,
    topics: options.topics,
    codec: options.codec,
    handler: options.handler,
    batchHandler: options.batchHandler,
    maxBatchRecords: options.maxBatchRecords ?? 5000,
    maxBytesPerPartition: options.maxBytesPerPartition,
    fromBeginning: options.fromBeginning ?? false,
    retry,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
  };
}
