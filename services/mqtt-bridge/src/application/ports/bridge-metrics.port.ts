/** What the forwarder counts (Prometheus in production, a plain object in tests). */
export interface BridgeMetrics {
  /** Messages taken from MQTT. */
  received(count: number): void;
  /** Messages the broker sent again (DUP flag): duplicates in Kafka are possible. */
  redelivered(count: number): void;
  /** Readings written to the output topic and acknowledged to MQTT. */
  forwarded(count: number): void;
  /** Payloads written to the DLQ and acknowledged to MQTT, by reason code. */
  deadLettered(reasonCode: string, count: number): void;
  /** Received and not yet acknowledged. */
  inFlight(count: number): void;
  /** A Kafka write that failed (it is retried). */
  writeFailed(): void;
  /** Messages per Kafka write. */
  batchWritten(size: number): void;
  /** QoS 0 readings dropped because more than the limit waited for Kafka. */
  qos0Dropped(count: number): void;
  /**
   * Forwarded readings' delay, in seconds, from the reading's own timestamp (taken by the device)
   * to Kafka's acknowledgement: the MQTT leg and the bridge, the first stage of the realtime path.
   */
  forwardDelays?(seconds: readonly number[]): void;
}

export const noopBridgeMetrics: BridgeMetrics = {
  received: () => undefined,
  redelivered: () => undefined,
  forwarded: () => undefined,
  deadLettered: () => undefined,
  inFlight: () => undefined,
  writeFailed: () => undefined,
  batchWritten: () => undefined,
  qos0Dropped: () => undefined,
};
