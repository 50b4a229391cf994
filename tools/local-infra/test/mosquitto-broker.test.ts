import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { appMqttTopicRoot, mqttRoles } from '@realtime-platform/platform-contract';
import { useMosquittoBroker } from '../src/jest/index.js';

const mosquitto = useMosquittoBroker();

async function roundTrip(url: string): Promise<string> {
  const { username, password } = mosquitto().user;
  // The applications' own area: the only topics the app user may use.
  const topic = `${appMqttTopicRoot}/smoke/${randomUUID()}`;
  const subscriber: MqttClient = await connectAsync(url, {
    username,
    password,
    reconnectPeriod: 0,
  });
  const publisher: MqttClient = await connectAsync(url, { username, password, reconnectPeriod: 0 });
  try {
    const received = new Promise<string>((resolve) =>
      subscriber.on('message', (_topic, payload) => resolve(payload.toString())),
    );
    await subscriber.subscribeAsync(topic, { qos: 1 });
    await publisher.publishAsync(topic, '{"deviceId":"d1"}', { qos: 1 });
    return await received;
  } finally {
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  }
}

describe('MosquittoBroker (real Mosquitto 2)', () => {
  it('delivers a QoS 1 message to an authenticated subscriber over MQTT', async () => {
    expect(await roundTrip(mosquitto().mqttUrl)).toBe('{"deviceId":"d1"}');
  });

  it('delivers a QoS 1 message over the WebSockets listener', async () => {
    expect(await roundTrip(mosquitto().wsUrl)).toBe('{"deviceId":"d1"}');
  });

  it('refuses a client without credentials', async () => {
    await expect(connectAsync(mosquitto().mqttUrl, { reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized/i,
    );
  });

  it('refuses a client with a wrong password', async () => {
    const { username } = mosquitto().user;
    await expect(
      connectAsync(mosquitto().mqttUrl, { username, password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow(/Not authorized|Bad User Name or Password/i);
  });

  it('generates a user rather than shipping a fixed one', () => {
    expect(mosquitto().user.username).toMatch(/^app-[0-9a-f]{6}$/);
    expect(mosquitto().user.password).toHaveLength(24);
  });

  it('generates a different user and password for every role', () => {
    const users = mqttRoles.map((role) => mosquitto().credentials[role]);
    expect(new Set(users.map((user) => user.username)).size).toBe(mqttRoles.length);
    expect(new Set(users.map((user) => user.password)).size).toBe(mqttRoles.length);
  });
});
