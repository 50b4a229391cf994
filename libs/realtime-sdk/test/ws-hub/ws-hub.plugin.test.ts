import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { eventually } from '@realtime-platform/testkit';
import {
  SdkMetrics,
  closeCodes,
  sdkErrors,
  wsHubPlugin,
  type WsHubPluginInput,
} from '../../src/index.js';
import { jwtSecret } from '../helpers/platform-env.js';
import { TestClient, expectRejectedUpgrade, grants, signToken } from '../helpers/ws-client.js';

const topic = 'heart_rate_device_topic';
/** The grant of the clients that subscribe to the whole topic. */
const everyDevice = grants([topic], '*');
const apps: FastifyInstance[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function start(
  options: Partial<WsHubPluginInput> = {},
): Promise<{ app: FastifyInstance; url: string; metrics: SdkMetrics }> {
  const metrics = new SdkMetrics({ defaultMetrics: false });
  const app = Fastify();
  apps.push(app);
  await app.register(wsHubPlugin, {
    topics: [topic],
    auth: { secret: jwtSecret },
    metrics,
    ...options,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `${address.replace('http', 'ws')}/ws`, metrics };
}

describe('wsHubPlugin authentication (on by default)', () => {
  it('register should fail when no auth is configured, naming the option', async () => {
    const app = Fastify();
    apps.push(app);
    await expect(
      app.register(wsHubPlugin, { topics: [topic] } as unknown as WsHubPluginInput),
    ).rejects.toMatchObject({
      code: sdkErrors.OPTIONS_INVALID.code,
      message: expect.stringContaining('/options/auth is required'),
    });
  });

  it('register should fail when @fastify/websocket is already registered', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(websocket);
    await expect(app.register(wsHubPlugin, { topics: [topic], auth: false })).rejects.toMatchObject(
      {
        code: sdkErrors.WS_WEBSOCKET_ALREADY_REGISTERED.code,
      },
    );
  });

  it('should refuse an upgrade without a token, with a bad signature, or expired, with HTTP 401', async () => {
    const { url, metrics } = await start();
    expect(await expectRejectedUpgrade(url)).toBe(401);
    const forged = await signToken({}, { secret: 'another-secret-that-is-long-enough-!!!' });
    expect(
      await expectRejectedUpgrade(url, { headers: { authorization: `Bearer ${forged}` } }),
    ).toBe(401);
    const expired = await signToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect(await expectRejectedUpgrade(url, { protocols: ['bearer', expired] })).toBe(401);
    expect(
      await expectRejectedUpgrade(url, { headers: { authorization: 'Bearer not.a.jwt' } }),
    ).toBe(401);
    const text = await metrics.render();
    expect(text).toContain('rtp_ws_auth_rejected_total{reason="missing"} 1');
    expect(text).toContain('rtp_ws_auth_rejected_total{reason="invalid"} 2');
    expect(text).toContain('rtp_ws_auth_rejected_total{reason="expired"} 1');
  });

  it('should accept a token in the Authorization header', async () => {
    const { app, url } = await start();
    const client = await TestClient.open(url, { token: await signToken(everyDevice) });
    expect(app.realtimeHub.clientCount).toBe(1);
    const ack = await client.subscribe(topic);
    expect(ack).toMatchObject({ v: 1, type: 'ack', op: 'subscribe', topic, sub: topic, seq: 0 });
    client.close();
  });

  it('should accept a token in Sec-WebSocket-Protocol and select "bearer", never echoing the token', async () => {
    const { url } = await start();
    const client = await TestClient.open(url, {
      token: await signToken(everyDevice),
      via: 'protocol',
    });
    expect(client.ws.protocol).toBe('bearer');
    client.close();
  });

  it('should verify RS256 tokens against a JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    servers.push(jwks);
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    const { url } = await start({
      auth: { jwksUrl, issuer: 'https://id.example', audience: 'vitals' },
    });
    const sign = (issuer: string) =>
      new SignJWT(everyDevice)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('vitals')
        .setExpirationTime('5m')
        .sign(privateKey);
    const client = await TestClient.open(url, { token: await sign('https://id.example') });
    client.close();
    expect(
      await expectRejectedUpgrade(url, {
        headers: { authorization: `Bearer ${await sign('https://evil.example')}` },
      }),
    ).toBe(401);
    // An HS256 token must not pass a JWKS-configured hub (algorithm confusion).
    expect(
      await expectRejectedUpgrade(url, {
        headers: { authorization: `Bearer ${await signToken(everyDevice)}` },
      }),
    ).toBe(401);
  });

  it('should close a client with 4401 when its token expires while connected', async () => {
    const { url } = await start();
    const token = await signToken(everyDevice, { expiresIn: Math.floor(Date.now() / 1000) + 2 });
    const client = await TestClient.open(url, { token });
    expect(await client.closed).toBe(closeCodes.unauthorized);
  });
});

describe('wsHubPlugin protocol', () => {
  it('should answer invalid messages with a coded error frame and keep the connection', async () => {
    const { url } = await start({ auth: false });
    const client = await TestClient.open(url);
    client.send('not json');
    client.send({ type: 'subscribe', topic: 'secret_topic', id: 'x' });
    client.send({ type: 'subscribe', topic, filter: { deviceId: { $ne: 1 } }, id: 'y' });
    await client.waitFor(() => client.ofType('error').length === 3);
    expect(client.ofType('error').map((f) => [f.code, f.id])).toEqual([
      [sdkErrors.WS_MESSAGE_INVALID.code, undefined],
      [sdkErrors.WS_TOPIC_NOT_ALLOWED.code, 'x'],
      [sdkErrors.WS_MESSAGE_INVALID.code, 'y'],
    ]);
    await client.subscribe(topic);
    client.close();
  });

  it('should refuse subscriptions that authorize() denies or that exceed the limit', async () => {
    const { url } = await start({
      maxSubscriptionsPerClient: 2,
      authorize: (auth, _topic, filter) => auth?.subject === 'user-1' && filter.deviceId !== 'd9',
    });
    // The grant allows every device: the refusal of d9 is authorize()'s.
    const client = await TestClient.open(url, { token: await signToken(everyDevice) });
    await client.subscribe(topic, { deviceId: 'd1' });
    client.send({ type: 'subscribe', topic, filter: { deviceId: 'd9' }, id: 'denied' });
    await client.subscribe(topic, { deviceId: 'd2' });
    client.send({ type: 'subscribe', topic, filter: { deviceId: 'd3' }, id: 'third' });
    await client.waitFor(() => client.ofType('error').length === 2);
    expect(client.ofType('error').map((f) => [f.id, f.code])).toEqual([
      ['denied', sdkErrors.WS_TOPIC_NOT_ALLOWED.code],
      ['third', sdkErrors.WS_SUBSCRIPTION_LIMIT.code],
    ]);
    client.close();
  });

  it('should close a client sending more than maxPayload with 1009', async () => {
    const { url } = await start({ auth: false, maxPayload: 256 });
    const client = await TestClient.open(url);
    client.send({ type: 'subscribe', topic, id: 'x'.repeat(400) });
    expect(await client.closed).toBe(closeCodes.messageTooBig);
  });

  it('should serialise a record once and send the same frame to every subscriber of a subscription', async () => {
    const { app, url } = await start({ auth: false });
    const clients = await Promise.all([1, 2, 3].map(() => TestClient.open(url)));
    for (const client of clients) await client.subscribe(topic, { deviceId: 'd1' });
    const filtered = await TestClient.open(url);
    await filtered.subscribe(topic, { deviceId: 'd2' });
    const data = { deviceId: 'd1', bpm: 72 };
    expect(app.realtimeHub.publish(topic, data, { ts: 1000 })).toBe(3);
    expect(app.realtimeHub.publish(topic, { deviceId: 'd3', bpm: 1 })).toBe(0);
    await Promise.all(clients.map((client) => client.waitFor(() => client.data().length === 1)));
    for (const client of clients) {
      expect(client.data()[0]).toEqual({
        v: 1,
        type: 'data',
        topic,
        sub: `${topic}?deviceId=d1`,
        seq: 1,
        ts: 1000,
        data,
      });
    }
    expect(filtered.data()).toEqual([]);
    for (const client of [...clients, filtered]) client.close();
  });

  it('should drop the oldest frames of a client that stops reading and tell it with a gap frame', async () => {
    const { app, url, metrics } = await start({
      auth: false,
      queue: { capacity: 32, highWaterMarkBytes: 64 * 1024, congestionTimeoutMs: 60_000 },
    });
    const slow = await TestClient.open(url);
    await slow.subscribe(topic);
    slow.ws.pause();
    // 4 KiB frames, far more than kernel buffers + high-water mark + queue can hold.
    const payload = 'x'.repeat(4096);
    const total = 6000;
    for (let n = 1; n <= total; n += 1) app.realtimeHub.publish(topic, { n, payload });
    const [stats] = app.realtimeHub.clientStats();
    expect(stats?.queued).toBeLessThanOrEqual(32);
    expect(stats?.bufferedAmount).toBeLessThanOrEqual(64 * 1024 + 4200);
    expect(stats?.dropped).toBeGreaterThan(0);
    slow.ws.resume();
    await slow.waitFor(() => slow.data().at(-1)?.seq === total, 30_000);
    const gaps = slow.ofType('gap');
    expect(gaps.length).toBeGreaterThan(0);
    // Every sequence number is either received or reported in a gap, each exactly once.
    const accounted = new Set(slow.data().map((f) => f.seq));
    for (const gap of gaps) {
      expect(gap.dropped).toBe(gap.to - gap.from + 1);
      for (let seq = gap.from; seq <= gap.to; seq += 1) {
        expect(accounted.has(seq)).toBe(false);
        accounted.add(seq);
      }
    }
    expect(accounted.size).toBe(total);
    expect(await metrics.render()).toContain(`rtp_ws_frames_dropped_total ${stats?.dropped}`);
    slow.close();
  });

  it('should close a client that does not answer pings with 4408', async () => {
    const { url } = await start({ auth: false, heartbeatIntervalMs: 200 });
    const silent = await TestClient.open(url, { autoPong: false });
    const healthy = await TestClient.open(url);
    expect(await silent.closed).toBe(closeCodes.heartbeatTimeout);
    expect(healthy.closeCode).toBeUndefined();
    healthy.close();
  });

  it('app.close() should close clients with 1001 and finish', async () => {
    const { app, url } = await start({ auth: false });
    const clients = await Promise.all([1, 2].map(() => TestClient.open(url)));
    await app.close();
    expect(await Promise.all(clients.map((client) => client.closed))).toEqual([1001, 1001]);
    await eventually(() => app.realtimeHub.clientCount === 0, { timeoutMs: 20_000 });
  });
});
