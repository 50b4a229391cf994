import { defineErrors } from '@realtime-platform/errors';

/**
 * The coded errors of the mqtt-bridge (`RTP_ERR_BRIDGE_*`). Invalid readings are not errors of
 * the bridge: their codes are health-domain's (`RTP_ERR_HEALTH_*`) and travel to the DLQ; the one
 * rejection the bridge adds itself is PAYLOAD_TOO_LARGE. Only what a retry can fix is retriable.
 */
export const bridgeErrors = defineErrors('RTP_ERR_BRIDGE', {
  SETTINGS_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `mqtt-bridge settings are invalid:\n${p.problems.map((problem) => `  - ${problem}`).join('\n')}`,
  },
  PAYLOAD_TOO_LARGE: {
    message: (p: { bytes: number; maxBytes: number }) =>
      `payload of ${p.bytes} bytes exceeds ${p.maxBytes} bytes (a reading is a few hundred bytes)`,
  },
  DEVICE_ID_MISMATCH: {
    message: (p: { deviceId: string; publisher: string }) =>
      `reading for device ${JSON.stringify(p.deviceId)} published on the topic of device ${JSON.stringify(p.publisher)} (a device may only publish its own readings)`,
  },
  QOS0_DROPPED: {
    message: (p: { dropped: number; limit: number }) =>
      `dropped the ${p.dropped} oldest QoS 0 reading(s): more than ${p.limit} were waiting for Kafka (QoS 0 is at-most-once)`,
  },
  MQTT_URL_UNSUPPORTED: {
    message: (p: { url: string }) =>
      `the bridge connects over mqtt:// or mqtts://, not ${p.url.split('://')[0]}://`,
  },
  MQTT_CONNECT_FAILED: {
    message: (p: { url: string; reason: string }) => `cannot subscribe at ${p.url}: ${p.reason}`,
    retriable: true,
  },
  MQTT_NOT_AUTHORIZED: {
    message: (p: { url: string; username: string; code: number }) =>
      `the MQTT broker at ${p.url} refused user ${p.username} (CONNACK ${p.code})`,
  },
  MQTT_SUBSCRIBE_REFUSED: {
    message: (p: { filter: string; code: number }) =>
      `the MQTT broker refused the subscription ${p.filter} (SUBACK ${p.code}; an ACL?)`,
  },
});

/** Every code with when it is raised (README table; a test keeps both in step). */
export const bridgeErrorDocs: Readonly<Record<keyof typeof bridgeErrors, string>> = {
  SETTINGS_INVALID: 'a `RTP_*` variable of the bridge is malformed; one line per problem',
  PAYLOAD_TOO_LARGE:
    'DLQ reason: the MQTT payload exceeds the largest plausible reading (the value is truncated)',
  DEVICE_ID_MISMATCH:
    "DLQ reason: a reading on device X's own topic names another deviceId (a device publishing as another)",
  QOS0_DROPPED:
    'log line (warn): QoS 0 readings beyond `RTP_MQTT_QOS0_QUEUE_LIMIT` waited for Kafka; the oldest were dropped and counted',
  MQTT_URL_UNSUPPORTED: '`MQTT_URL` is a WebSocket URL; the bridge speaks MQTT over TCP or TLS',
  MQTT_CONNECT_FAILED:
    'no subscription within the first-connect timeout (retriable: the pod restarts)',
  MQTT_NOT_AUTHORIZED: 'the broker refused the credentials of the mqtt secret',
  MQTT_SUBSCRIBE_REFUSED: 'the broker refused the subscription (ACL)',
};
