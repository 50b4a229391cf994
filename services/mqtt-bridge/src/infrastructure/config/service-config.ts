import {
  deviceDataTopic,
  deviceMqttTopic,
  dlqTopicName,
  runtimeEnv,
  topicNamePattern,
} from '@realtime-platform/platform-contract';
import { defaultMaxFutureSkewMs } from '@realtime-platform/health-domain';
import { bridgeErrors } from '../../bridge.errors.js';

/** The bridge's own settings (the SDK reads the secrets and its `RTP_*` variables). */
export interface BridgeSettings {
  /** RTP_MQTT_TOPIC: the MQTT topic (filter) of the readings. */
  readonly mqttTopic: string;
  /** RTP_MQTT_SHARED_GROUP: replicas share `$share/<group>/<topic>` and split the readings. */
  readonly sharedGroup: string | undefined;
  /**
   * What the bridge subscribes to: the gateways' topic and every device's own topic
   * (`<topic>/+`), each a shared subscription when a group is set.
   */
  readonly subscriptions: readonly string[];
  /** Topics starting with it are a device's own: `<topic>/<deviceId>`. */
  readonly deviceTopicPrefix: string;
  /** RTP_OUTPUT_TOPIC: `device_data`. */
  readonly outputTopic: string;
  /** `<output>.dlq`. */
  readonly deadLetterTopic: string;
  /** RTP_MQTT_SESSION_EXPIRY_SECONDS. */
  readonly sessionExpirySeconds: number;
  /** RTP_MQTT_RECEIVE_MAXIMUM. */
  readonly receiveMaximum: number;
  /** RTP_READING_MAX_FUTURE_SKEW_MS: later reading timestamps are dead-lettered. */
  readonly maxFutureSkewMs: number;
  /** RTP_MQTT_QOS0_QUEUE_LIMIT: QoS 0 readings held while a Kafka write is pending. */
  readonly qos0QueueLimit: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Validates every variable and reports all problems at once (RTP_ERR_BRIDGE_SETTINGS_INVALID). */
export function loadBridgeSettings(env: Env): BridgeSettings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };

  const mqttTopic = read(runtimeEnv.mqttTopic) ?? deviceMqttTopic;
  if (mqttTopic.startsWith('$') || /[+#]/.test(mqttTopic)) {
    problems.push(
      `${runtimeEnv.mqttTopic} must be a plain topic without wildcards (share it with ${runtimeEnv.mqttSharedGroup}), got "${mqttTopic}"`,
    );
  }
  const sharedGroup = read(runtimeEnv.mqttSharedGroup);
  if (sharedGroup !== undefined && /[/+#]/.test(sharedGroup)) {
    problems.push(
      `${runtimeEnv.mqttSharedGroup} must not contain "/", "+" or "#", got "${sharedGroup}"`,
    );
  }
  const outputTopic = read(runtimeEnv.outputTopic) ?? deviceDataTopic;
  if (!new RegExp(topicNamePattern).test(outputTopic)) {
    problems.push(`${runtimeEnv.outputTopic} must be a Kafka topic name, got "${outputTopic}"`);
  }
  // The broker keeps a session at most 2^32-1 s; a day-scale expiry is what makes sense.
  const sessionExpirySeconds = integer(runtimeEnv.mqttSessionExpirySeconds, 3600, 0, 4294967295);
  // MQTT 5 receive maximum is a two-byte integer from 1.
  const receiveMaximum = integer(runtimeEnv.mqttReceiveMaximum, 10_000, 1, 65_535);
  const maxFutureSkewMs = integer(
    runtimeEnv.readingMaxFutureSkewMs,
    defaultMaxFutureSkewMs,
    0,
    86_400_000,
  );
  const qos0QueueLimit = integer(runtimeEnv.mqttQos0QueueLimit, 10_000, 1, 10_000_000);

  if (problems.length > 0) throw bridgeErrors.SETTINGS_INVALID({ problems });
  return {
    mqttTopic,
    sharedGroup,
    subscriptions: [mqttTopic, `${mqttTopic}/+`].map((filter) =>
      sharedGroup === undefined ? filter : `$share/${sharedGroup}/${filter}`,
    ),
    deviceTopicPrefix: `${mqttTopic}/`,
    outputTopic,
    deadLetterTopic: dlqTopicName(outputTopic),
    sessionExpirySeconds,
    receiveMaximum,
    maxFutureSkewMs,
    qos0QueueLimit,
  };
}
