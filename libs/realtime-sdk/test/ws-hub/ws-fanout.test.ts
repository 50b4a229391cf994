import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { createTopic, eventually } from '@realtime-platform/testkit';
import {
  KafkajsMessageBus,
  RealtimeSdk,
  closeCodes,
  jsonCodec,
  realtimeTokens,
  registerRealtimeSdk,
  silentLogger,
  createLogger,
  type MessageBus,
} from '../../src/index.js';
import { platformEnv } from '../helpers/platform-env.js';
import { TestClient, grants, signToken } from '../helpers/ws-client.js';

const kafka = useKafkaBroker();

let container: DependencyContainer;
let sdk: RealtimeSdk;
let baseUrl: string;
let wsUrl: string;
let topic: string;
let bulkTopic: string;
let producer: MessageBus;

interface Reading {
  deviceId: string;
  n: number;
  payload?: string;
}

const queue = { capacity: 64, highWaterMarkBytes: 64 * 1024, congestionTimeoutMs: 1500 };

beforeAll(async () => {
  topic = await createTopic(kafka(), 'heart_rate_device_topic', 3);
  bulkTopic = await createTopic(kafka(), 'bulk', 1);
  container = rootContainer.createChildContainer();
  registerRealtimeSdk(container, {
    env: platformEnv({ kafkaSecret: kafka().kafkaSecret('admin') }),
    logger: process.env.DEBUG_SDK ? createLogger({ level: 'warn' }) : silentLogger,
    signals: false,
    hub: { topics: [topic, bulkTopic], queue },
  });
  sdk = container.resolve<RealtimeSdk>(realtimeTokens.RealtimeSdk);
  baseUrl = await sdk.start();
  wsUrl = `${baseUrl.replace('http', 'ws')}/ws`;
  producer = new KafkajsMessageBus({
    brokers: [kafka().bootstrapServers],
    security: kafka().busSecurity(),
    clientId: 'fanout-producer',
    consumerGroup: 'unused',
    instanceId: 'test',
  });
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer?.close();
  await container?.dispose();
});

const produce = (records: Reading[], to = topic) =>
  producer.publish(
    to,
    records.map((value) => ({ key: value.deviceId, value })),
    jsonCodec<Reading>(),
  );

/** Every device of both topics: these clients subscribe without a device filter. */
const token = (): Promise<string> => signToken(grants([topic, bulkTopic], '*'));
const open = async (): Promise<TestClient> => TestClient.open(wsUrl, { token: await token() });

describe('RealtimeSdk WebSocket fan-out from a real Kafka topic', () => {
  it('should be ready once the broker answers and the bridge joined its broadcast group', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks['kafka-brokers']?.ok).toBe(true);
    expect(body.checks['kafka-consumers']?.ok).toBe(true);
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
  });

  it('should broadcast every record to several clients, in order per device, with contiguous seq', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => open()));
    for (const client of clients) await client.subscribe(topic);
    const records = Array.from({ length: 60 }, (_, n) => ({ deviceId: `d${n % 3}`, n }));
    await produce(records);
    await Promise.all(clients.map((client) => client.waitFor(() => client.data().length === 60)));
    for (const client of clients) {
      const frames = client.data();
      expect(frames.map((f) => f.seq)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1 + (frames[0]?.seq ?? 1) - 1),
      );
      expect(new Set(frames.map((f) => (f.data as Reading).n)).size).toBe(60);
      for (const device of ['d0', 'd1', 'd2']) {
        const ns = frames
          .map((f) => f.data as Reading)
          .filter((r) => r.deviceId === device)
          .map((r) => r.n);
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
      }
      expect(frames.every((f) => f.ts > 0 && f.topic === topic && f.sub === topic)).toBe(true);
      client.close();
    }
  });

  it('should deliver only matching records to filtered subscriptions', async () => {
    const [onlyD1, onlyD2, all] = await Promise.all([open(), open(), open()]);
    await onlyD1?.subscribe(topic, { deviceId: 'd1' });
    await onlyD2?.subscribe(topic, { deviceId: 'd2' });
    await all?.subscribe(topic);
    await produce(Array.from({ length: 30 }, (_, n) => ({ deviceId: `d${n % 3}`, n })));
    await all?.waitFor(() => all.data().length === 30);
    await onlyD1?.waitFor(() => onlyD1.data().length === 10);
    await onlyD2?.waitFor(() => onlyD2.data().length === 10);
    expect(
      onlyD1
        ?.data()
        .every((f) => (f.data as Reading).deviceId === 'd1' && f.sub === `${topic}?deviceId=d1`),
    ).toBe(true);
    expect(onlyD2?.data().every((f) => (f.data as Reading).deviceId === 'd2')).toBe(true);
    expect(onlyD1?.data().map((f) => f.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    for (const client of [onlyD1, onlyD2, all]) client?.close();
  });

  it('a stalled client should be closed (4429) while a fast one gets every frame, with memory bounded', async () => {
    const fast = await open();
    await fast.subscribe(bulkTopic);
    const stalled = await openStalledSocket(wsUrl, await token(), bulkTopic);
    await eventually(() => sdk.hub.clientCount === 2, { timeoutMs: 20_000 });

    const payload = 'x'.repeat(8 * 1024);
    let maxQueued = 0;
    let maxBuffered = 0;
    let n = 0;
    // 40 MiB in chunks: the fast client keeps up, the stalled one fills kernel buffers and then its queue.
    for (let chunk = 0; chunk < 50; chunk += 1) {
      await produce(
        Array.from({ length: 100 }, () => ({ deviceId: 'bulk', n: n++, payload })),
        bulkTopic,
      );
      for (const stats of sdk.hub.clientStats()) {
        maxQueued = Math.max(maxQueued, stats.queued);
        maxBuffered = Math.max(maxBuffered, stats.bufferedAmount);
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await fast.waitFor(() => fast.data().length === n, 60_000);
    // The server side tells: the paused socket cannot even read the close frame.
    await eventually(() => sdk.hub.clientCount === 1, {
      timeoutMs: 20_000,
      what: 'the stalled client to be closed',
    });
    expect(fast.ofType('gap')).toEqual([]);
    const seqs = fast.data().map((f) => f.seq);
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(maxQueued).toBeLessThanOrEqual(queue.capacity);
    expect(maxBuffered).toBeLessThanOrEqual(queue.highWaterMarkBytes + 9 * 1024);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `rtp_ws_clients_closed_total\\{code="${closeCodes.tooSlow}",service="vitals-gateway"\\} 1`,
      ),
    );
    expect(metrics).toMatch(/rtp_ws_frames_dropped_total\{service="vitals-gateway"\} [1-9]/);
    expect(metrics).toMatch(
      /rtp_kafka_records_consumed_total\{topic="bulk-[^"]+",service="vitals-gateway"\} 5000/,
    );
    fast.close();
    stalled.destroy();
  }, 120_000);

  it('stop() should close WebSocket clients with 1001, leave the group and turn unready', async () => {
    const client = await open();
    const bus = container.resolve<MessageBus>(realtimeTokens.MessageBus);
    expect(bus.subscriptions()).toHaveLength(1);
    await sdk.stop();
    expect(await client.closed).toBe(closeCodes.goingAway);
    expect(bus.subscriptions()).toHaveLength(0);
    expect((await sdk.health.readiness()).ready).toBe(false);
  });
});

/**
 * A client that completes the WebSocket handshake, subscribes, and then never reads again: the
 * raw socket is paused, so the server's writes pile up in kernel buffers and then in its own.
 */
async function openStalledSocket(url: string, token: string, subscribeTo: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    [
      `GET ${pathname} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Authorization: Bearer ${token}`,
      '',
      '',
    ].join('\r\n'),
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.off('data', onData);
        if (head.startsWith('HTTP/1.1 101')) resolve();
        else reject(new Error(head.split('\r\n')[0]));
      }
    };
    socket.on('data', onData);
  });
  // One masked text frame (clients must mask): the subscribe message.
  const body = Buffer.from(JSON.stringify({ type: 'subscribe', topic: subscribeTo }));
  const mask = randomBytes(4);
  const masked = Buffer.from(body.map((byte, i) => byte ^ (mask[i % 4] as number)));
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | body.length]), mask, masked]));
  socket.on('error', () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.pause();
  return socket;
}
