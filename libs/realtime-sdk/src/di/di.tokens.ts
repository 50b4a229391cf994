/**
 * Injection tokens of the SDK (symbols, so they never clash with a service's own string tokens).
 * Ports are bound to the default adapters by `registerRealtimeSdk`; a service swaps one by
 * registering the token again (the last registration wins).
 */
export const realtimeTokens = {
  /** RealtimeConfig, validated at registration. */
  Config: Symbol.for('realtime-platform.sdk.Config'),
  /** pino Logger. */
  Logger: Symbol.for('realtime-platform.sdk.Logger'),
  /** SdkMetrics (its own prom-client registry). */
  Metrics: Symbol.for('realtime-platform.sdk.Metrics'),
  /** HealthRegistry. */
  Health: Symbol.for('realtime-platform.sdk.Health'),
  /** The MessageBus port (the adapter `RTP_KAFKA_CLIENT` names, see `createMessageBus`). */
  MessageBus: Symbol.for('realtime-platform.sdk.MessageBus'),
  /** RegisterRealtimeSdkOptions, as given. */
  Options: Symbol.for('realtime-platform.sdk.Options'),
  /** RealtimeSdk: the composed service (server, hub, bus, MQTT); disposed by `container.dispose()`. */
  RealtimeSdk: Symbol.for('realtime-platform.sdk.RealtimeSdk'),
} as const;
