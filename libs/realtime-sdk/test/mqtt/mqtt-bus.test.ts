import { afterEach, describe, expect, it } from '@jest/globals';
import { useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { eventually } from '@realtime-platform/testkit';
import {
  MqttBus,
  SdkMetrics,
  loadRealtimeConfig,
  mqttTopicMatches,
  sdkErrors,
} from '../../src/index.js';
import { platformEnv } from '../helpers/platform-env.js';

const mosquitto = useMosquittoBroker();
const clients: MqttBus[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/**
 * The mqtt secret as the contract parses it, pointing at the real broker: the applications' user,
 * which the platform's ACL keeps to `app/#` (hence the topics below).
 */
const connection = () =>
  loadRealtimeConfig({
    env: platformEnv({
      mqtt: {
        url: mosquitto().mqttUrl,
        username: mosquitto().user.username,
        password: mosquitto().user.password,
      },
    }),
  }).platform.mqtt;

async function connect(name: string, metrics?: SdkMetrics): Promise<MqttBus> {
  const conn = connection();
  if (conn === undefined) throw new Error('mqtt disabled');
  const client = await MqttBus.connect({
    connection: conn,
    clientId: `${name}-${Math.random()}`,
    ...(metrics ? { metrics } : {}),
  });
  clients.push(client);
  return client;
}

describe('MqttBus (real Mosquitto, authentication on)', () => {
  it('should connect with the credentials of the mqtt secret and round-trip typed JSON at QoS 1', async () => {
    const metrics = new SdkMetrics({ defaultMetrics: false });
    const subscriber = await connect('sub', metrics);
    const publisher = await connect('pub');
    const received: { topic: string; payload: { deviceId: string; bpm: number } }[] = [];
    await subscriber.subscribe<{ deviceId: string; bpm: number }>(
      'app/health/+/heart_rate',
      (message) => {
        received.push({ topic: message.topic, payload: message.payload });
      },
    );
    await publisher.publish('app/health/d1/heart_rate', { deviceId: 'd1', bpm: 71 });
    await publisher.publish('app/health/d1/temperature', { deviceId: 'd1', celsius: 37 });
    await eventually(() => received.length === 1, { timeoutMs: 20_000 });
    expect(received).toEqual([
      { topic: 'app/health/d1/heart_rate', payload: { deviceId: 'd1', bpm: 71 } },
    ]);
    expect(subscriber.connected()).toBe(true);
    expect(await metrics.render()).toContain(
      'rtp_mqtt_messages_received_total{filter="app/health/+/heart_rate"} 1',
    );
  });

  it('should not deliver a payload that is not JSON, and count it', async () => {
    const metrics = new SdkMetrics({ defaultMetrics: false });
    const subscriber = await connect('sub', metrics);
    const publisher = await connect('pub');
    const received: unknown[] = [];
    await subscriber.subscribe('app/raw/#', (message) => {
      received.push(message.payload);
    });
    // Publish raw bytes through the same client type the SDK wraps (a device that sends garbage).
    const raw = (
      publisher as unknown as {
        client: { publishAsync(t: string, p: string, o: object): Promise<unknown> };
      }
    ).client;
    await raw.publishAsync('app/raw/x', 'not json', { qos: 1 });
    await publisher.publish('app/raw/y', { ok: true });
    await eventually(() => received.length === 1, { timeoutMs: 20_000 });
    expect(received).toEqual([{ ok: true }]);
    expect(await metrics.render()).toContain('rtp_mqtt_payload_errors_total 1');
  });

  it('should refuse wrong credentials with a non-retriable coded error', async () => {
    const conn = connection();
    if (conn === undefined) throw new Error('mqtt disabled');
    await expect(
      MqttBus.connect({
        connection: { ...conn, password: 'wrong-password' },
        clientId: 'intruder',
      }),
    ).rejects.toMatchObject({ code: sdkErrors.MQTT_NOT_AUTHORIZED.code, retriable: false });
  });
});

describe('mqttTopicMatches', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a', true],
    ['a/+', 'a/b/c', false],
    ['#', '$SYS/x', false],
    ['a/b', 'a/b', true],
  ])('%s vs %s → %s', (filter, topic, expected) => {
    expect(mqttTopicMatches(filter, topic)).toBe(expected);
  });
});
