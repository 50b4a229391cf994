import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { LocalPlatform } from '@realtime-platform/local-platform';
import { SignJWT } from 'jose';
import { alertsTopic, deviceMqttTopic } from '@realtime-platform/platform-contract';
import { gatewayPublisher, stopPlatform } from './support/platform-lifecycle.js';
import { reading } from './support/readings.js';
import { HubClient } from './support/ws-client.js';

/**
 * Issue 4: a reading published over MQTT flows through the bridge and the stream processor into
 * the realtime service, which streams it to WebSocket clients, raises alerts and stores them.
 */
describe('realtime service behind the pipeline (real Mosquitto, Kafka, Schema Registry, PostgreSQL)', () => {
  let platform: LocalPlatform;
  let publisher: MqttClient;
  let token: string;
  let wsUrl: string;
  const clients: HubClient[] = [];

  beforeAll(async () => {
    platform = await LocalPlatform.start({
      name: 'e2e-service',
      services: ['mqtt-bridge', 'stream-processor', 'realtime-service'],
      simulator: false,
    });
    // Exactly what the tests below read: two beds, two vital topics and the alerts.
    token = await platform.token(
      {
        devices: ['bed-7', 'bed-9'],
        topics: ['heart_rate_device_topic', 'blood_pressure_device_topic', alertsTopic],
      },
      'e2e-ward-nurse',
    );
    wsUrl = `${platform.service('realtime-service').url.replace('http', 'ws')}/ws`;
    publisher = await gatewayPublisher(platform, 'e2e-ward');
  }, 300_000);

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await publisher?.endAsync();
    await stopPlatform(platform);
  }, 60_000);

  const connect = async (): Promise<HubClient> => {
    const client = await HubClient.connect(wsUrl, token);
    clients.push(client);
    return client;
  };

  const api = (path: string, withToken = true): Promise<Response> =>
    fetch(`${platform.service('realtime-service').url}${path}`, {
      headers: withToken ? { authorization: `Bearer ${token}` } : {},
    });

  it('streams the heart rate and blood pressure of a reading published over MQTT to a subscriber of that device', async () => {
    const watcher = await connect();
    await watcher.subscribe('heart_rate_device_topic', 'bed-7');
    await watcher.subscribe('blood_pressure_device_topic', 'bed-7');
    // Another device's reading must not reach a client subscribed to bed-7.
    await publisher.publishAsync(
      deviceMqttTopic,
      JSON.stringify(reading('bed-8', 1, { heartRate: 99 })),
      { qos: 1 },
    );
    await publisher.publishAsync(
      deviceMqttTopic,
      JSON.stringify(reading('bed-7', 2, { heartRate: 72, systolic: 121, diastolic: 79 })),
      { qos: 1 },
    );

    const heartRate = await watcher.waitFor(
      (frame) => frame.type === 'data' && frame.topic === 'heart_rate_device_topic',
      'heart-rate frame',
    );
    expect(heartRate.data).toMatchObject({ deviceId: 'bed-7', values: { heartRate: 72 } });
    const bloodPressure = await watcher.waitFor(
      (frame) => frame.type === 'data' && frame.topic === 'blood_pressure_device_topic',
      'blood-pressure frame',
    );
    expect(bloodPressure.data).toMatchObject({
      deviceId: 'bed-7',
      values: { systolic: 121, diastolic: 79 },
    });
    expect(
      watcher.frames
        .filter((frame) => frame.type === 'data')
        .every((frame) => frame.data?.deviceId === 'bed-7'),
    ).toBe(true);

    const latest = await api('/api/devices/bed-7/latest');
    expect(latest.status).toBe(200);
    expect(await latest.json()).toMatchObject({
      deviceId: 'bed-7',
      vitals: { heart_rate: { values: { heartRate: 72 } } },
    });
  });

  it('raises an alert for an out-of-range heart rate that a second client receives and GET /api/alerts returns from PostgreSQL', async () => {
    const alerts = await connect();
    await alerts.subscribe(alertsTopic, 'bed-9');
    await publisher.publishAsync(
      deviceMqttTopic,
      JSON.stringify(reading('bed-9', 3, { heartRate: 182 })),
      { qos: 1 },
    );

    const frame = await alerts.waitFor(
      (candidate) =>
        candidate.type === 'data' &&
        candidate.topic === alertsTopic &&
        candidate.data?.deviceId === 'bed-9',
      'alert frame for bed-9',
    );
    expect(frame.data).toMatchObject({ deviceId: 'bed-9', severity: 'critical' });

    const response = await api('/api/alerts?deviceId=bed-9');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { alerts: { id: string; deviceId: string }[] };
    expect(body.alerts.map((alert) => alert.id)).toContain(frame.data?.id);
    // The REST answer comes from the database, not the process: the row is there.
    const rows = await platform.postgres.query<{ count: string }>(
      "SELECT count(*) FROM realtime_service.alerts WHERE device_id = 'bed-9'",
    );
    expect(Number(rows.rows[0]?.count)).toBe(1);
  });

  it('refuses WebSocket connections without a valid token', async () => {
    await expect(HubClient.connect(wsUrl)).rejects.toMatchObject({ statusCode: 401 });
    await expect(HubClient.connect(wsUrl, `${token}x`)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('refuses a device the token does not grant: its live feed and its alerts, with codes', async () => {
    const client = await connect();
    const refused = await client.subscribeRefused('heart_rate_device_topic', 'bed-8');
    expect(refused.code).toBe('RTP_ERR_SDK_ACCESS_DEVICE_NOT_GRANTED');
    const allDevices = await client.subscribeRefused(alertsTopic);
    expect(allDevices.code).toBe('RTP_ERR_SDK_ACCESS_DEVICE_FILTER_REQUIRED');
    const alerts = await api('/api/alerts?deviceId=bed-8');
    expect(alerts.status).toBe(403);
    expect(await alerts.json()).toMatchObject({
      code: 'RTP_ERR_REALTIME_SERVICE_API_DEVICE_NOT_GRANTED',
    });
    expect((await api('/api/devices/bed-8/latest')).status).toBe(403);
  });

  it('refuses a token of the right key that never expires or lives 100 years', async () => {
    const key = new TextEncoder().encode(platform.wsJwtSecret);
    const base = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(platform.wsJwtIssuer)
      .setAudience(platform.wsJwtAudience)
      .setIssuedAt();
    const neverExpires = await base.sign(key);
    const century = await base.setExpirationTime('36500d').sign(key);
    for (const crafted of [neverExpires, century])
      await expect(HubClient.connect(wsUrl, crafted)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('answers bad REST input with 400 and a code', async () => {
    const response = await api('/api/alerts?limit=0');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: expect.stringMatching(/^RTP_ERR_|^FST_ERR_/),
    });
    expect((await api('/api/alerts', false)).status).toBe(401);
  });
});
