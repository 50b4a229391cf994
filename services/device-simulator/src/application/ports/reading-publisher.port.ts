/** One payload for the MQTT topic, on the connection (lane) of its device. */
export interface OutgoingPayload {
  /** Picks the connection: a device always uses the same one, so its readings stay in order. */
  readonly lane: number;
  readonly payload: string;
}

/**
 * The MQTT side of the simulator. `publish` is callback-based on purpose: at tens of thousands of
 * readings a second, one closure per reading is all the bookkeeping the hot path can afford.
 */
export interface ReadingPublisher {
  /** Calls `done` once: without an error when the broker acknowledged it (QoS 1) or it was sent (QoS 0). */
  publish(message: OutgoingPayload, done: (error?: Error) => void): void;
  /** Published and not yet done. */
  inFlight(): number;
  /** Most messages in flight at once (all connections together). */
  readonly capacity: number;
  /** Number of connections. */
  readonly lanes: number;
  connected(): boolean;
  /** Disconnects; `force` drops what is still in flight. */
  close(force?: boolean): Promise<void>;
}
