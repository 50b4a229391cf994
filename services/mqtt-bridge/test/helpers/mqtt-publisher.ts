import { randomUUID } from 'node:crypto';
import type { MosquittoBroker } from '@realtime-platform/local-infra';
import { connectAsync, type MqttClient } from 'mqtt';

/** A device-like publisher: MQTT 3.1.1, QoS 1 (publishAsync resolves on the broker's PUBACK). */
export function mqttPublisher(mqtt: MosquittoBroker): Promise<MqttClient> {
  return connectAsync(mqtt.mqttUrl, {
    username: mqtt.user.username,
    password: mqtt.user.password,
    clientId: `device-${randomUUID()}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
}
