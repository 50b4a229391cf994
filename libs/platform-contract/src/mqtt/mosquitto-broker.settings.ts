import { runtimeEnv, runtimeEnvCatalog } from '../runtime/runtime-env.catalog.js';

/**
 * The outage the broker is sized for: Kafka (or the bridge) away for `outageSeconds` while
 * devices keep publishing `readingsPerSecond` readings to one bridge session (one bridge replica
 * with a shared subscription gets its share; each replica has its own session and its own limits).
 * Every reading published in that time is kept by Mosquitto and forwarded once Kafka is back.
 */
export interface MqttOutagePlan {
  readonly outageSeconds: number;
  readonly readingsPerSecond: number;
  /**
   * Payload bytes budgeted per queued reading. A reading is about 250–300 bytes; the byte limit
   * only bites when payloads are larger than this on average, so memory stays bounded.
   */
  readonly budgetBytesPerReading: number;
}

export const mqttOutagePlan: MqttOutagePlan = {
  outageSeconds: 600,
  readingsPerSecond: 500,
  budgetBytesPerReading: 512,
};

/** The mqtt-bridge's default MQTT 5 receive maximum (RTP_MQTT_RECEIVE_MAXIMUM). */
const bridgeReceiveMaximum = Number(
  runtimeEnvCatalog.find((variable) => variable.name === runtimeEnv.mqttReceiveMaximum)?.default,
);

/**
 * The broker settings every deployment shares (the chart and the local harness): durability,
 * queue limits, packet size. Listeners, paths and logging differ per deployment and are not here.
 */
export interface MosquittoBrokerSettings {
  /**
   * `autosave_interval`, in seconds (`autosave_on_changes false`). Mosquitto writes its whole
   * in-memory database each time. Saving on every change (`autosave_on_changes true` with 1)
   * writes it after every queued message and every PUBACK: with 300,000 queued readings (98 MB)
   * one save stalls the broker ~270 ms (measured), so per-change saving would stop it during the
   * very outage it should ride out. A short interval bounds what a kill -9 can lose: the
   * subscription of a bridge that just subscribed, and readings queued in the last interval
   * while no bridge takes them; readings handed to a connected bridge are in its hands already.
   */
  readonly autosaveIntervalSeconds: number;
  /**
   * `max_inflight_messages`: unacknowledged QoS 1 messages to one MQTT 3.1.1 client (MQTT 5
   * clients bring their own receive maximum). The bridge's receive maximum, so a 3.1.1 bridge
   * (Kafka Connect's MQTT source) gets the same window.
   */
  readonly maxInflightMessages: number;
  /** `max_queued_messages`: QoS 1 messages queued per client beyond those in flight. */
  readonly maxQueuedMessages: number;
  /** `max_queued_bytes`: their payload bytes. */
  readonly maxQueuedBytes: number;
  /**
   * `max_packet_size`: larger packets are refused and the client disconnected. A reading is
   * ~300 bytes, a CONNECT with credentials well under 1 KiB; Mosquitto's default is MQTT's
   * 256 MiB, which lets one client make the broker buffer that much.
   */
  readonly maxPacketSize: number;
  /** `persistent_client_expiration`: forget persistent sessions idle this long. */
  readonly persistentClientExpiration: string;
}

export const mosquittoBrokerSettings: MosquittoBrokerSettings = {
  autosaveIntervalSeconds: 2,
  maxInflightMessages: bridgeReceiveMaximum,
  maxQueuedMessages: mqttOutagePlan.outageSeconds * mqttOutagePlan.readingsPerSecond,
  maxQueuedBytes:
    mqttOutagePlan.outageSeconds *
    mqttOutagePlan.readingsPerSecond *
    mqttOutagePlan.budgetBytesPerReading,
  maxPacketSize: 16 * 1024,
  persistentClientExpiration: '14d',
};

/** The MQTT over TLS port (Mosquitto's listener and the Service port, when TLS is on). */
export const mqttTlsPort = 8883;

/**
 * Mosquitto's resident memory per queued reading, measured with 2.0.11: 300,000 queued
 * 250-byte readings took 182 MB RSS, and their saved database 98 MB.
 */
export const mosquittoBytesPerQueuedReading = { memory: 610, disk: 330 } as const;

/**
 * The mosquitto.conf lines of `settings`, in this order (the chart renders the same block; a
 * chart test compares them). Persistence itself is on; its location is the deployment's.
 */
export function mosquittoSettingsConf(settings: MosquittoBrokerSettings): string[] {
  return [
    'persistence true',
    'autosave_on_changes false',
    `autosave_interval ${settings.autosaveIntervalSeconds}`,
    `max_inflight_messages ${settings.maxInflightMessages}`,
    `max_queued_messages ${settings.maxQueuedMessages}`,
    `max_queued_bytes ${settings.maxQueuedBytes}`,
    // QoS 0 is at-most-once: not queued for offline clients.
    'queue_qos0_messages false',
    `max_packet_size ${settings.maxPacketSize}`,
    `persistent_client_expiration ${settings.persistentClientExpiration}`,
  ];
}
