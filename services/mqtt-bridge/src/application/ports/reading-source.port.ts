/**
 * What the source needs to acknowledge a message (for MQTT: the connection it came on and its
 * packet id). Opaque to the application.
 */
export type MessageReceipt = { readonly __brand: 'MessageReceipt' } | undefined;

/** A message taken from the source and not yet acknowledged. */
export interface InboundMessage {
  readonly topic: string;
  /**
   * 1: the broker redelivers it until acknowledged (at-least-once). 0: at-most-once, nothing to
   * acknowledge, never redelivered; the broker does not hold QoS 0 back for a slow subscriber.
   */
  readonly qos: 0 | 1;
  readonly payload: Buffer;
  /** The broker sent it before (the MQTT DUP flag): it may already be in Kafka. */
  readonly redelivered: boolean;
  readonly receipt: MessageReceipt;
}

export type InboundMessageHandler = (message: InboundMessage) => void;

/**
 * The MQTT side of the bridge. Messages are handed over one at a time, in arrival order, and
 * stay the broker's responsibility until `acknowledge`: a crash before it means redelivery.
 */
export interface ReadingSource {
  /** Connects and subscribes; resolves once subscribed. Reconnects on its own after that. */
  start(handler: InboundMessageHandler): Promise<void>;
  /**
   * Acknowledges messages, in the order given. Messages received on a connection that has since
   * been lost are skipped: the broker redelivers those, and acknowledging them on the new
   * connection could acknowledge a different message that reuses the packet id.
   */
  acknowledge(messages: readonly InboundMessage[]): void;
  /** Takes no more messages; unacknowledged ones stay with the broker. */
  pause(): void;
  /** Connected and subscribed. */
  connected(): boolean;
  /** Disconnects and keeps the session (what arrives meanwhile is queued for the next start). */
  close(): Promise<void>;
}
