import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { eventually } from '@realtime-platform/testkit';
import {
  SdkMetrics,
  closeCodes,
  sdkErrors,
  wsHubPlugin,
  type ClientStats,
  type WsHubPluginInput,
} from '../../src/index.js';
import { TestClient, refusedUpgrade } from '../helpers/ws-client.js';

/**
 * Issue 21 item 5: every per-client and server-wide bound of the hub, on a real fastify server
 * with a real `ws` client that stops reading (its socket paused) while the hub keeps sending.
 *
 * The finding to fix: a client that sent requests and never read made the hub buffer 72.8 MiB
 * in 4 s without being disconnected (acks and errors skipped the client queue and went straight
 * to the socket). Reproduced here before the fix: 37.7 MiB in 4 s, still connected.
 */
const topic = 'heart_rate_device_topic';
const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(
  options: Partial<WsHubPluginInput> = {},
): Promise<{ app: FastifyInstance; url: string; metrics: SdkMetrics }> {
  const metrics = new SdkMetrics({ defaultMetrics: false });
  const app = Fastify();
  apps.push(app);
  await app.register(wsHubPlugin, { topics: [topic], auth: false, metrics, ...options });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `${address.replace('http', 'ws')}/ws`, metrics };
}

/** What the hub holds for one client: its queue plus what sits in the socket's user-space buffer. */
const outgoing = (stats: ClientStats): number => stats.queuedBytes + stats.bufferedAmount;

const queue = {
  capacity: 1024,
  maxBytes: 256 * 1024,
  controlCapacity: 64,
  highWaterMarkBytes: 64 * 1024,
  congestionTimeoutMs: 60_000,
};
/** The structural bound: the queue, the high-water mark, and one frame written past it. */
const bound = queue.maxBytes + queue.highWaterMarkBytes + 4096;

describe('WsHub bounds on a real server', () => {
  it('a client that sends requests but never reads should be closed with 4413 before its answers outgrow the bound', async () => {
    const { app, url, metrics } = await start({ queue, closeGraceMs: 200 });
    const client = await TestClient.open(url);
    client.ws.pause(); // stops reading: the kernel buffers fill, then the hub's
    const id = 'x'.repeat(64);
    let maxOutgoing = 0;
    let sent = 0;
    // Far more answers than kernel buffers + the bound hold (each ack is about 200 bytes).
    while (app.realtimeHub.clientCount > 0 && sent < 400_000) {
      for (let n = 0; n < 500; n += 1) {
        client.send({ type: n % 2 === 0 ? 'subscribe' : 'unsubscribe', topic, id });
        sent += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
      for (const stats of app.realtimeHub.clientStats())
        maxOutgoing = Math.max(maxOutgoing, outgoing(stats));
    }
    await eventually(() => app.realtimeHub.clientCount === 0, {
      timeoutMs: 20_000,
      what: 'the client to be closed',
    });
    expect(maxOutgoing).toBeLessThanOrEqual(bound);
    expect(await metrics.render()).toContain(
      `rtp_ws_clients_closed_total{code="${closeCodes.queueOverflow}"} 1`,
    );
    client.ws.resume();
    client.close();
  }, 60_000);

  it('a client that pings without reading the pongs should be closed with 4413 too', async () => {
    const { app, url, metrics } = await start({ queue, closeGraceMs: 200 });
    const client = await TestClient.open(url);
    client.ws.pause();
    const payload = Buffer.alloc(125, 1); // the largest ping payload
    let maxOutgoing = 0;
    let sent = 0;
    while (app.realtimeHub.clientCount > 0 && sent < 400_000) {
      for (let n = 0; n < 500; n += 1) client.ws.ping(payload);
      sent += 500;
      await new Promise((resolve) => setImmediate(resolve));
      for (const stats of app.realtimeHub.clientStats())
        maxOutgoing = Math.max(maxOutgoing, outgoing(stats));
    }
    await eventually(() => app.realtimeHub.clientCount === 0, {
      timeoutMs: 20_000,
      what: 'the client to be closed',
    });
    expect(maxOutgoing).toBeLessThanOrEqual(bound);
    expect(await metrics.render()).toContain(
      `rtp_ws_clients_closed_total{code="${closeCodes.queueOverflow}"} 1`,
    );
    client.ws.resume();
    client.close();
  }, 60_000);

  it('a subscriber that stops reading should keep at most queue.maxBytes of data queued, dropping the oldest (gap)', async () => {
    const { app, url, metrics } = await start({
      queue: { ...queue, capacity: 100_000, maxBytes: 64 * 1024 },
    });
    const slow = await TestClient.open(url);
    await slow.subscribe(topic);
    slow.ws.pause();
    const payload = 'x'.repeat(4096);
    let maxQueuedBytes = 0;
    let maxOutgoing = 0;
    for (let n = 1; n <= 5000; n += 1) {
      app.realtimeHub.publish(topic, { n, payload });
      if (n % 100 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        for (const stats of app.realtimeHub.clientStats()) {
          maxQueuedBytes = Math.max(maxQueuedBytes, stats.queuedBytes);
          maxOutgoing = Math.max(maxOutgoing, outgoing(stats));
        }
      }
    }
    // 4 KiB frames: far fewer than the 100,000-frame capacity fit in 64 KiB.
    expect(maxQueuedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(maxOutgoing).toBeLessThanOrEqual(64 * 1024 + queue.highWaterMarkBytes + 4200);
    const [stats] = app.realtimeHub.clientStats();
    expect(stats?.queued).toBeLessThanOrEqual(16);
    expect(await metrics.render()).toMatch(/rtp_ws_frames_dropped_total [1-9]/);
    slow.ws.resume();
    await slow.waitFor(() => slow.data().at(-1)?.seq === 5000, 30_000);
    expect(slow.ofType('gap').length).toBeGreaterThan(0);
    slow.close();
  }, 60_000);

  it('should refuse connections over maxConnections with 503 and a code, and accept again once one left', async () => {
    const { app, url, metrics } = await start({ maxConnections: 2 });
    const first = await TestClient.open(url);
    const second = await TestClient.open(url);
    expect(await refusedUpgrade(url)).toEqual({
      status: 503,
      code: sdkErrors.WS_CONNECTION_LIMIT.code,
    });
    expect(app.realtimeHub.clientCount).toBe(2);
    expect(await metrics.render()).toContain('rtp_ws_connections_refused_total{reason="limit"} 1');
    first.close();
    await eventually(() => app.realtimeHub.clientCount === 1, { timeoutMs: 20_000 });
    const third = await TestClient.open(url);
    await third.subscribe(topic);
    for (const client of [second, third]) client.close();
  });

  it('should refuse subscriptions over maxSubscriptionsPerClient with a coded error frame', async () => {
    const { url } = await start({ maxSubscriptionsPerClient: 3 });
    const client = await TestClient.open(url);
    for (const deviceId of ['d1', 'd2', 'd3']) await client.subscribe(topic, { deviceId });
    await client.subscribe(topic, { deviceId: 'd1' }); // the same one again is not a new one
    client.send({ type: 'subscribe', topic, filter: { deviceId: 'd4' }, id: 'fourth' });
    await client.waitFor(() => client.ofType('error').length === 1);
    expect(client.ofType('error')[0]).toMatchObject({
      id: 'fourth',
      code: sdkErrors.WS_SUBSCRIPTION_LIMIT.code,
    });
    client.send({ type: 'unsubscribe', topic, filter: { deviceId: 'd1' } });
    await client.subscribe(topic, { deviceId: 'd4' });
    client.close();
  });
});
