import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectAsync } from 'mqtt';
import { EmbeddedMqttBroker } from '../src/index.js';

describe('EmbeddedMqttBroker (aedes, the fallback when Mosquitto is not installed)', () => {
  let broker: EmbeddedMqttBroker;
  beforeAll(async () => {
    broker = await EmbeddedMqttBroker.start();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it.each(['mqtt', 'ws'] as const)(
    'delivers a QoS 1 message to a subscriber over %s with the generated credentials',
    async (transport) => {
      const url = transport === 'mqtt' ? broker.mqttUrl : broker.wsUrl;
      // The roles that may: a gateway publishes readings, the bridge reads them.
      const subscriber = await connectAsync(url, {
        ...broker.credentials.bridge,
        reconnectPeriod: 0,
      });
      const publisher = await connectAsync(url, {
        ...broker.credentials.gateway,
        reconnectPeriod: 0,
      });
      try {
        await subscriber.subscribeAsync('health/device_data', { qos: 1 });
        const received = new Promise<string>((resolve) =>
          subscriber.once('message', (_topic, payload) => resolve(payload.toString())),
        );
        await publisher.publishAsync('health/device_data', 'reading-1', { qos: 1 });
        expect(await received).toBe('reading-1');
      } finally {
        await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
      }
    },
  );

  it('applies the contract rules: the applications read no readings and cannot publish them', async () => {
    const app = await connectAsync(broker.mqttUrl, { ...broker.user, reconnectPeriod: 0 });
    const gateway = await connectAsync(broker.mqttUrl, {
      ...broker.credentials.gateway,
      reconnectPeriod: 0,
    });
    try {
      const seen: string[] = [];
      app.on('message', (topic) => seen.push(topic));
      await app.subscribeAsync('#', { qos: 1 });
      await app.subscribeAsync('app/own', { qos: 1 });
      await gateway.publishAsync('health/device_data', 'reading', { qos: 1 });
      const own = new Promise<void>((resolve) =>
        app.on('message', (t) => t === 'app/own' && resolve()),
      );
      await app.publishAsync('app/own', 'mine', { qos: 1 });
      // The gateway's reading was published first: had it been forwarded, it would be here by now.
      await own;
      const closed = new Promise<void>((resolve) => app.once('close', () => resolve()));
      // aedes answers a denied publish by closing the connection.
      app.publish('health/device_data', 'forged', { qos: 1 });
      await closed;
      expect(seen).toEqual(['app/own']);
    } finally {
      await Promise.all([app.endAsync(true), gateway.endAsync()]);
    }
  });

  it('refuses a wrong password and a missing user', async () => {
    await expect(
      connectAsync(broker.mqttUrl, {
        username: broker.user.username,
        password: `${broker.user.password}x`,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connectAsync(broker.mqttUrl, { reconnectPeriod: 0 })).rejects.toThrow();
  });
});
