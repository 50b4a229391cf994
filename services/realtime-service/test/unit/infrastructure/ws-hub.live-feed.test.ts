import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { wsHubPlugin } from '@realtime-platform/realtime-sdk';
import { alertsTopic } from '@realtime-platform/platform-contract';
import { Alert, AlertRule } from '../../../src/domain/index.js';
import { WsHubLiveFeed } from '../../../src/infrastructure/live-feed/ws-hub.live-feed.js';
import { newJwtSecret, signToken } from '../../helpers/token.js';
import { heartRateOf, t0, vital } from '../../helpers/vitals.fixture.js';
import { TestClient } from '../../helpers/ws-client.js';

const secret = newJwtSecret();
let app: FastifyInstance;
let feed: WsHubLiveFeed;
let wsUrl: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  app = Fastify();
  await app.register(wsHubPlugin, {
    topics: ['heart_rate_device_topic', 'blood_pressure_device_topic', alertsTopic],
    auth: { secret },
  });
  feed = new WsHubLiveFeed(() => app.realtimeHub, alertsTopic);
  wsUrl = `${(await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws')}/ws`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await app.close();
});

const open = async () => {
  const client = await TestClient.open(wsUrl, await signToken(secret));
  clients.push(client);
  return client;
};

describe('WsHubLiveFeed (the live feed on the SDK hub)', () => {
  it('sends a vital sign on its vital topic to the subscribers of its device and of all devices', async () => {
    const one = await open();
    await one.subscribe('heart_rate_device_topic', { deviceId: 'bed-1' });
    const all = await open();
    await all.subscribe('heart_rate_device_topic');

    feed.publishVital(heartRateOf(88, { deviceId: 'bed-2' }));
    feed.publishVital(heartRateOf(72, { deviceId: 'bed-1' }));
    feed.publishVital(
      vital('blood_pressure', { systolic: 120, diastolic: 80 }, { deviceId: 'bed-1' }),
    );

    const frame = await one.waitFor((f) => f.type === 'data');
    expect(frame).toMatchObject({
      v: 1,
      topic: 'heart_rate_device_topic',
      sub: 'heart_rate_device_topic?deviceId=bed-1',
      data: { deviceId: 'bed-1', kind: 'heart_rate', values: { heartRate: 72 } },
    });
    await all.waitFor((f) => f.data?.deviceId === 'bed-1');
    expect(all.data().map((d) => d.deviceId)).toEqual(['bed-2', 'bed-1']);
    expect(one.data()).toHaveLength(1);
  });

  it('sends alerts on the alerts topic', async () => {
    const client = await open();
    await client.subscribe(alertsTopic, { deviceId: 'bed-9' });
    const reading = heartRateOf(190, { deviceId: 'bed-9' });
    const rule = AlertRule.create({ id: 'hr', metric: 'heartRate', max: 130 });
    feed.publishAlert(Alert.raise(rule.check(reading)!, reading, t0));
    const frame = await client.waitFor((f) => f.type === 'data');
    expect(frame.data).toMatchObject({ id: `hr/${t0}/bed-9`, direction: 'above' });
  });
});
