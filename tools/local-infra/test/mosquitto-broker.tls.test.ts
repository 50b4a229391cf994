// The TLS listener with a CA and certificate generated for the run (openssl), on a real Mosquitto.
import { describe, expect, it } from '@jest/globals';
import { connectAsync } from 'mqtt';
import { useMosquittoBroker } from '../src/jest/index.js';

const mosquitto = useMosquittoBroker({ tls: true });

describe('MosquittoBroker with tls: true', () => {
  it('accepts an authenticated client that verifies the certificate against the generated CA', async () => {
    const { tlsUrl, tlsCa, user } = mosquitto();
    expect(tlsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const client = await connectAsync(tlsUrl ?? '', {
      ...user,
      ca: tlsCa,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
    });
    try {
      await client.subscribeAsync('app/tls', { qos: 1 });
      const received = new Promise<string>((resolve) =>
        client.once('message', (_topic, payload) => resolve(payload.toString())),
      );
      await client.publishAsync('app/tls', 'over TLS', { qos: 1 });
      expect(await received).toBe('over TLS');
    } finally {
      await client.endAsync();
    }
  });

  it('is refused by a client that does not trust the CA', async () => {
    const { tlsUrl, user } = mosquitto();
    await expect(
      connectAsync(tlsUrl ?? '', { ...user, rejectUnauthorized: true, reconnectPeriod: 0 }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('still refuses a wrong password over TLS', async () => {
    const { tlsUrl, tlsCa, user } = mosquitto();
    await expect(
      connectAsync(tlsUrl ?? '', {
        username: user.username,
        password: `${user.password}x`,
        ca: tlsCa,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Not authorized|Bad User Name or Password/i);
  });
});
