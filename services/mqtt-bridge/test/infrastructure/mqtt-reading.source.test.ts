import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { connectAsync, type MqttClient } from 'mqtt';
import { eventually } from '@realtime-platform/testkit';
import { bridgeErrors } from '../../src/bridge.errors.js';
import type { InboundMessage } from '../../src/application/ports/reading-source.port.js';
import {
  MqttReadingSource,
  type MqttReadingSourceInput,
} from '../../src/infrastructure/mqtt-reading.source.js';

const mosquitto = useMosquittoBroker({ devices: ['monitor-7'] });
const sources: MqttReadingSource[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.close()));
  await Promise.all(clients.splice(0).map((client) => client.endAsync()));
});

const connection = () => ({
  url: mosquitto().mqttUrl,
  username: mosquitto().user.username,
  password: mosquitto().user.password,
});

/** A subscriber that records what it gets and acknowledges only when told to. */
async function subscriber(
  input: Partial<MqttReadingSourceInput> & Pick<MqttReadingSourceInput, 'clientId' | 'filters'>,
) {
  const received: InboundMessage[] = [];
  const source = new MqttReadingSource({ connection: connection(), ...input });
  sources.push(source);
  await source.start((message) => received.push(message));
  return { source, received };
}

async function publisher(): Promise<MqttClient> {
  const client = await connectAsync(mosquitto().mqttUrl, {
    username: mosquitto().user.username,
    password: mosquitto().user.password,
    clientId: `publisher-${randomUUID()}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(client);
  return client;
}

/** Publishes at QoS 1; resolves once the broker acknowledged every message (PUBACK). */
async function publish(topic: string, payloads: readonly string[]): Promise<void> {
  const client = await publisher();
  await Promise.all(payloads.map((payload) => client.publishAsync(topic, payload, { qos: 1 })));
}

const texts = (messages: readonly InboundMessage[]) =>
  messages.map((message) => message.payload.toString());

describe('MqttReadingSource (real Mosquitto)', () => {
  it('should redeliver, after a restart with the same client id, exactly what it never acknowledged', async () => {
    const topic = `app/readings/${randomUUID()}`;
    const clientId = `bridge-${randomUUID()}`;
    const first = await subscriber({ clientId, filters: [topic] });
    await publish(topic, ['r1', 'r2', 'r3']);
    await eventually(() => first.received.length === 3);
    expect(first.received.map((m) => m.redelivered)).toEqual([false, false, false]);
    first.source.acknowledge(first.received.slice(0, 1));
    // A graceful stop keeps the session; what was not acknowledged stays with the broker.
    first.source.pause();
    await first.source.close();

    const second = await subscriber({ clientId, filters: [topic] });
    await eventually(() => second.received.length === 2);
    expect(texts(second.received)).toEqual(['r2', 'r3']);
    expect(second.received.map((m) => m.redelivered)).toEqual([true, true]);
    second.source.acknowledge(second.received);
  });

  it('should get what was published while it was away (persistent session)', async () => {
    const topic = `app/readings/${randomUUID()}`;
    const clientId = `bridge-${randomUUID()}`;
    const first = await subscriber({ clientId, filters: [topic] });
    await first.source.close();
    await publish(topic, ['while-away-1', 'while-away-2']);

    const second = await subscriber({ clientId, filters: [topic] });
    await eventually(() => second.received.length === 2);
    expect(texts(second.received)).toEqual(['while-away-1', 'while-away-2']);
    second.source.acknowledge(second.received);
  });

  it('should not get acknowledged messages again', async () => {
    const topic = `app/readings/${randomUUID()}`;
    const clientId = `bridge-${randomUUID()}`;
    const first = await subscriber({ clientId, filters: [topic] });
    await publish(topic, ['a', 'b']);
    await eventually(() => first.received.length === 2);
    first.source.acknowledge(first.received);
    await first.source.close();
    await publish(topic, ['c']);

    const second = await subscriber({ clientId, filters: [topic] });
    await eventually(() => second.received.length === 1);
    expect(texts(second.received)).toEqual(['c']);
    expect(second.received[0]?.redelivered).toBe(false);
  });

  it('should split a shared subscription between replicas, each reading to one of them', async () => {
    const topic = `app/readings/${randomUUID()}`;
    const filter = `$share/bridges-${randomUUID().slice(0, 8)}/${topic}`;
    const a = await subscriber({ clientId: `bridge-a-${randomUUID()}`, filters: [filter] });
    const b = await subscriber({ clientId: `bridge-b-${randomUUID()}`, filters: [filter] });
    const payloads = Array.from({ length: 100 }, (_, i) => `r${i}`);
    await publish(topic, payloads);
    await eventually(() => a.received.length + b.received.length === 100);
    a.source.acknowledge(a.received);
    b.source.acknowledge(b.received);
    expect(new Set([...texts(a.received), ...texts(b.received)]).size).toBe(100);
    expect(a.received.length).toBeGreaterThan(0);
    expect(b.received.length).toBeGreaterThan(0);
  });

  it('should hold many unacknowledged messages in flight at once (MQTT 5 receive maximum)', async () => {
    const topic = `app/readings/${randomUUID()}`;
    const { source, received } = await subscriber({
      clientId: `bridge-${randomUUID()}`,
      filters: [topic],
      receiveMaximum: 1000,
    });
    // Mosquitto's own default would stop at 20 unacknowledged messages.
    await publish(
      topic,
      Array.from({ length: 500 }, (_, i) => `r${i}`),
    );
    await eventually(() => received.length === 500);
    source.acknowledge(received);
  });

  it('should speak MQTT 3.1.1 when told to, with the same session behaviour', async () => {
    const topic = `app/readings/${randomUUID()}`;
    const clientId = `bridge-${randomUUID()}`;
    const first = await subscriber({ clientId, filters: [topic], protocol: 4 });
    await publish(topic, ['x']);
    await eventually(() => first.received.length === 1);
    await first.source.close();
    const second = await subscriber({ clientId, filters: [topic], protocol: 4 });
    await eventually(() => second.received.length === 1);
    expect(second.received[0]?.redelivered).toBe(true);
    second.source.acknowledge(second.received);
  });

  it("should read, with the bridge's credentials, the gateways' topic and every device's own topic", async () => {
    const { bridge, gateway } = mosquitto().credentials;
    const received: InboundMessage[] = [];
    const source = new MqttReadingSource({
      connection: { ...connection(), ...bridge },
      clientId: `bridge-${randomUUID()}`,
      filters: ['$share/g/health/device_data', '$share/g/health/device_data/+'],
    });
    sources.push(source);
    await source.start((message) => received.push(message));
    const device = await connectAsync(mosquitto().mqttUrl, {
      ...mosquitto().device('monitor-7'),
      reconnectPeriod: 0,
    });
    const hub = await connectAsync(mosquitto().mqttUrl, { ...gateway, reconnectPeriod: 0 });
    clients.push(device, hub);
    await device.publishAsync('health/device_data/monitor-7', 'own', { qos: 1 });
    await hub.publishAsync('health/device_data', 'hub', { qos: 0 });
    await eventually(() => received.length === 2);
    expect(received.map((m) => [m.topic, m.payload.toString(), m.qos])).toEqual([
      ['health/device_data/monitor-7', 'own', 1],
      ['health/device_data', 'hub', 0],
    ]);
    source.acknowledge(received);
  });

  it('should refuse wrong credentials with a non-retriable coded error', async () => {
    const source = new MqttReadingSource({
      connection: { ...connection(), password: 'wrong-password' },
      clientId: `intruder-${randomUUID()}`,
      filters: ['health/device_data'],
    });
    sources.push(source);
    await expect(source.start(() => undefined)).rejects.toMatchObject({
      code: bridgeErrors.MQTT_NOT_AUTHORIZED.code,
      retriable: false,
    });
  });

  it('should fail start with a retriable error when no broker answers', async () => {
    const source = new MqttReadingSource({
      connection: { ...connection(), url: 'mqtt://127.0.0.1:9' },
      clientId: `lonely-${randomUUID()}`,
      filters: ['health/device_data'],
      firstConnectTimeoutMs: 1000,
    });
    sources.push(source);
    await expect(source.start(() => undefined)).rejects.toMatchObject({
      code: bridgeErrors.MQTT_CONNECT_FAILED.code,
      retriable: true,
    });
  });

  it('should refuse a WebSocket URL at construction', () => {
    expect(
      () =>
        new MqttReadingSource({
          connection: { ...connection(), url: 'ws://127.0.0.1:9001' },
          clientId: 'x',
          filters: ['health/device_data'],
        }),
    ).toThrow(expect.objectContaining({ code: bridgeErrors.MQTT_URL_UNSUPPORTED.code }));
  });
});
