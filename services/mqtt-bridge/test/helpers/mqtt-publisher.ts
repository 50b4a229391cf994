import { randomUUID } from 'node:crypto';
import type { MosquittoBroker } from '@realtime-platform/local-infra';
import { connectAsync, type MqttClient } from 'mqtt';

/**
 * A gateway-like publisher on the requirements' topic (any deviceId): MQTT 3.1.1, QoS 1
 * (publishAsync resolves on the broker's PUBACK).
 */
export function mqttPublisher(mqtt: MosquittoBroker): Promise<MqttClient> {
  return connectAsync(mqtt.mqttUrl, {
    username: mqtt.credentials.gateway.username,
    password: mqtt.credentials.gateway.password,
    clientId: `device-${randomUUID()}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
}
