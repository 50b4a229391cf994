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
      const options = { ...broker.user, reconnectPeriod: 0 };
      const subscriber = await connectAsync(url, options);
      const publisher = await connectAsync(url, options);
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
