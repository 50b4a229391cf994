// The contract's MQTT identities and ACL on a real Mosquitto: every refusal below is the broker's.
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import {
  deviceMqttTopic,
  deviceReadingsFilter,
  deviceReadingsTopic,
  mosquittoBrokerSettings,
} from '@realtime-platform/platform-contract';
import { useMosquittoBroker } from '../src/jest/index.js';
import type { MqttUser } from '../src/index.js';

const mosquitto = useMosquittoBroker({ devices: ['monitor-7', 'monitor-8'] });

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
});

/** MQTT 5 unless asked otherwise: its PUBACK carries a refusal reason, 3.1.1's cannot. */
async function connect(user: MqttUser, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await connectAsync(mosquitto().mqttUrl, {
    username: user.username,
    password: user.password,
    clientId: `test-${randomUUID()}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
    ...options,
  });
  clients.push(client);
  return client;
}

/** Collects what a client receives on `filter`. */
async function receiver(client: MqttClient, filter: string): Promise<string[]> {
  const received: string[] = [];
  client.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
  await client.subscribeAsync(filter, { qos: 1 });
  return received;
}

/** The bridge, subscribed to both reading topics like the mqtt-bridge: what was delivered. */
async function bridgeReceiver(): Promise<string[]> {
  const bridge = await connect(mosquitto().credentials.bridge);
  const received = await receiver(bridge, `$share/test/${deviceMqttTopic}`);
  await bridge.subscribeAsync(`$share/test/${deviceReadingsFilter}`, { qos: 1 });
  return received;
}

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The PUBACK reason code Mosquitto answers a QoS 1 publish with (0: accepted). */
async function pubackCode(client: MqttClient, topic: string, payload: string): Promise<number> {
  try {
    const packet = await client.publishAsync(topic, payload, { qos: 1 });
    return (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('Mosquitto with the platform ACL: devices', () => {
  it('lets a device publish its own readings, which the bridge receives', async () => {
    const bridge = await bridgeReceiver();
    const device = await connect(mosquitto().device('monitor-7'));
    expect(await pubackCode(device, deviceReadingsTopic('monitor-7'), 'r1')).toBe(0);
    await until(() => bridge.length === 1);
    expect(bridge).toEqual([`${deviceReadingsTopic('monitor-7')} r1`]);
  });

  it("refuses a device publishing as another device or on the gateways' topic (PUBACK 135)", async () => {
    const bridge = await bridgeReceiver();
    const device = await connect(mosquitto().device('monitor-7'));
    expect(await pubackCode(device, deviceReadingsTopic('monitor-8'), 'forged')).toBe(135);
    expect(await pubackCode(device, deviceMqttTopic, 'forged')).toBe(135);
    // A later legitimate reading arrives alone: the forged ones were dropped, not delayed.
    expect(await pubackCode(device, deviceReadingsTopic('monitor-7'), 'own')).toBe(0);
    await until(() => bridge.length === 1);
    expect(bridge).toEqual([`${deviceReadingsTopic('monitor-7')} own`]);
  });

  it('drops a forged reading over MQTT 3.1.1 too (that protocol cannot refuse a PUBLISH)', async () => {
    const bridge = await bridgeReceiver();
    const device = await connect(mosquitto().device('monitor-7'), { protocolVersion: 4 });
    await device.publishAsync(deviceReadingsTopic('monitor-8'), 'forged', { qos: 1 });
    await device.publishAsync(deviceReadingsTopic('monitor-7'), 'own', { qos: 1 });
    await until(() => bridge.length === 1);
    expect(bridge).toEqual([`${deviceReadingsTopic('monitor-7')} own`]);
  });

  it('delivers nothing to a device subscribed to # while readings flow', async () => {
    const bridge = await bridgeReceiver();
    const snooper = await receiver(await connect(mosquitto().device('monitor-8')), '#');
    const device = await connect(mosquitto().device('monitor-7'));
    for (const n of [1, 2, 3]) await device.publishAsync(deviceReadingsTopic('monitor-7'), `r${n}`);
    await until(() => bridge.length === 3);
    expect(snooper).toEqual([]);
  });

  it('refuses a packet above max_packet_size by closing the connection', async () => {
    const bridge = await bridgeReceiver();
    // 3.1.1: an MQTT 5 client would refuse to send above the CONNACK's maximum packet size itself.
    const device = await connect(mosquitto().device('monitor-7'), { protocolVersion: 4 });
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    const oversized = 'x'.repeat(mosquittoBrokerSettings.maxPacketSize + 1);
    device.publish(deviceReadingsTopic('monitor-7'), oversized, { qos: 1 });
    await closed;
    const other = await connect(mosquitto().device('monitor-8'));
    await other.publishAsync(deviceReadingsTopic('monitor-8'), 'after', { qos: 1 });
    await until(() => bridge.length === 1);
    expect(bridge).toEqual([`${deviceReadingsTopic('monitor-8')} after`]);
  });

  it("refuses a device's wrong password and an unknown device", async () => {
    const { username, password } = mosquitto().device('monitor-7');
    await expect(connect({ username, password: `${password}x` })).rejects.toThrow(
      /Bad User Name or Password|Not authorized/i,
    );
    await expect(connect({ username: 'monitor-9', password })).rejects.toThrow(
      /Bad User Name or Password|Not authorized/i,
    );
  });
});

describe('Mosquitto with the platform ACL: services and applications', () => {
  it('lets a gateway publish any device on the requirements topic, shared with the bridge', async () => {
    const bridge = await bridgeReceiver();
    const gateway = await connect(mosquitto().credentials.gateway);
    expect(await pubackCode(gateway, deviceMqttTopic, '{"deviceId":"any"}')).toBe(0);
    expect(await pubackCode(gateway, deviceReadingsTopic('monitor-7'), 'forged')).toBe(135);
    await until(() => bridge.length === 1);
    expect(bridge).toEqual([`${deviceMqttTopic} {"deviceId":"any"}`]);
  });

  it('refuses the bridge publishing, anywhere', async () => {
    const bridge = await connect(mosquitto().credentials.bridge);
    expect(await pubackCode(bridge, deviceMqttTopic, 'injected')).toBe(135);
    expect(await pubackCode(bridge, deviceReadingsTopic('monitor-7'), 'injected')).toBe(135);
  });

  it('gives the applications no readings and no other area than app/#', async () => {
    const bridge = await bridgeReceiver();
    const app = await connect(mosquitto().credentials.app);
    const seen = await receiver(app, '#');
    expect(await pubackCode(app, deviceMqttTopic, 'injected')).toBe(135);
    expect(await pubackCode(app, 'elsewhere/x', 'y')).toBe(135);
    const device = await connect(mosquitto().device('monitor-7'));
    await device.publishAsync(deviceReadingsTopic('monitor-7'), 'r', { qos: 1 });
    await until(() => bridge.length === 1);
    expect(await pubackCode(app, 'app/own', 'mine')).toBe(0);
    await until(() => seen.length === 1);
    expect(seen).toEqual(['app/own mine']);
  });
});
