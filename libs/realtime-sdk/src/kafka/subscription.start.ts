import { isRealtimePlatformError, type RealtimePlatformError } from '@realtime-platform/errors';
import { sdkErrors } from '../sdk.errors.js';
import type { Subscription } from './message-bus.port.js';
import type { ResolvedSubscription } from './subscription.options.js';

/** What an adapter's subscription offers the shared start: its own start. */
export interface StartableSubscription extends Subscription {
  start(): Promise<void>;
}

/** How the adapter names a refused login or operation (undefined when it was not refused). */
export type AccessErrorOf = (
  error: unknown,
  operation: string,
  resource: string,
) => RealtimePlatformError | undefined;

/**
 * The last step of `subscribe()`, the same for every adapter: starts the subscription and keeps it
 * in `active` until it stops. A start that fails stops it again and answers one coded error — its
 * own when it is final (non-retriable), a refused login or ACL as such, else KAFKA_UNREACHABLE.
 */
export async function startSubscription<S extends StartableSubscription>(
  active: Set<S>,
  subscription: S,
  settings: Pick<ResolvedSubscription<unknown>, 'topics' | 'groupId'>,
  brokers: readonly string[],
  accessError: AccessErrorOf,
): Promise<S> {
  active.add(subscription);
  try {
    await subscription.start();
  } catch (cause) {
    active.delete(subscription);
    await subscription.stop();
    throw (
      (isRealtimePlatformError(cause) && !cause.retriable ? cause : undefined) ??
      accessError(
        cause,
        'consume',
        `topics ${settings.topics.join(',')} in group ${settings.groupId}`,
      ) ??
      sdkErrors.KAFKA_UNREACHABLE({ brokers, reason: (cause as Error).message }, { cause })
    );
  }
  const stop = subscription.stop.bind(subscription);
  subscription.stop = async () => {
    await stop();
    active.delete(subscription);
  };
  return subscription;
}
