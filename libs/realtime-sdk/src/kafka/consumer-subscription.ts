import type { RealtimePlatformError } from '@realtime-platform/errors';
import type { Logger } from '../telemetry/sdk.logger.js';
import { GroupMembership } from './group-membership.js';
import type { ConsumerMode, Subscription } from './message-bus.port.js';
import { RecordDelivery, type DeliveryHost, type DeliverySettings } from './record-delivery.js';

export type SubscriptionState = 'idle' | 'running' | 'stopping' | 'stopped';

/** What every adapter's subscription is given: the delivery rules and where a new group starts. */
export interface ConsumerSubscriptionSettings<T> extends DeliverySettings<T> {
  /**
   * `topic\u0000partition → offset` where a new broadcast group starts (the ends of the partitions
   * when `subscribe()` was called), so nothing produced after it resolved is missed.
   */
  readonly startOffsets: ReadonlyMap<string, string>;
}

/**
 * What the subscriptions of every adapter hold and answer alike — identity, state, group
 * membership (`joined`, `waitUntilJoined`, `failed`), the delivery rules and the start offsets not
 * yet handed to a consumer; each adapter adds its consumer.
 */
export abstract class ConsumerSubscription<T> implements Subscription {
  readonly groupId: string;
  readonly mode: ConsumerMode;
  readonly topics: readonly string[];
  protected state: SubscriptionState = 'idle';
  protected readonly membership: GroupMembership;
  protected readonly logger: Logger;
  /** `HandlerContext.assignment`: grows at every join of the group. */
  protected assignment = 0;
  /** Decoding, handlers, retries and dead letters: the rules every adapter shares. */
  protected readonly delivery: RecordDelivery<T>;
  /** Start offsets of a new broadcast group not yet handed to a consumer. */
  protected readonly unanchored: Map<string, string>;

  protected constructor(host: DeliveryHost, settings: ConsumerSubscriptionSettings<T>) {
    this.groupId = settings.groupId;
    this.mode = settings.mode;
    this.topics = settings.topics;
    this.membership = new GroupMembership(settings.groupId);
    this.unanchored = new Map(settings.startOffsets);
    this.logger = host.logger.child({
      component: 'kafka-consumer',
      groupId: settings.groupId,
      mode: settings.mode,
    });
    this.delivery = new RecordDelivery(host, settings, () => this.assignment);
  }

  joined(): boolean {
    return this.membership.held && this.state === 'running';
  }

  waitUntilJoined(timeoutMs = 30_000): Promise<void> {
    return this.membership.wait(this.joined(), timeoutMs);
  }

  /** The coded error that stopped this subscription for good (a refused login or ACL), if any. */
  failed(): RealtimePlatformError | undefined {
    return this.membership.failed();
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}
