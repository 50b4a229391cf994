// Benchmark (not a test): Kafka → WebSocket fan-out to 1,000 local clients through the SDK.
// Starts a real broker (local-infra), the hub with the Kafka bridge (broadcast consumer, JWT auth
// on), a worker thread with the clients, then produces at several rates and prints frames/s and the
// p50/p99 delay from produce (Kafka record timestamp) to client receipt. Then the baseline, in the
// same run: a raw `ws` server (no hub: no auth, no filters, no queues) broadcasting the same frames
// for the same Kafka records to the same client harness - what the hub costs on top of `ws`.
// BENCH_KAFKA_CLIENT picks the MessageBus adapter (default: the SDK's default).
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { WebSocketServer } from 'ws';
import { KafkaBroker } from '@realtime-platform/local-infra';
import {
  SdkMetrics,
  createMessageBus,
  kafkaClients,
  type KafkaClientName,
  accessClaimName,
  bridgeKafkaToHub,
  jsonWithTextCodec,
  wsHubPlugin,
} from '@realtime-platform/realtime-sdk';

const clients = Number(process.env.BENCH_CLIENTS ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rates = (process.env.BENCH_RATES ?? '100,200,400').split(',').map(Number);
const secret = 'bench-shared-secret-of-at-least-32-bytes';
const topic = 'heart_rate_device_topic';
const kafkaClient = (process.env.BENCH_KAFKA_CLIENT ?? 'kafkajs') as KafkaClientName;
if (!kafkaClients.includes(kafkaClient))
  throw new Error(`BENCH_KAFKA_CLIENT: one of ${kafkaClients.join(', ')}`);

const require = createRequire(import.meta.url);
const version = (name: string): string =>
  (require(`${name}/package.json`) as { version: string }).version;

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

/** The next message of `type` from a worker; rejects if the worker fails or exits first. */
const waitFor = (worker: Worker, type: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', on);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const on = (message: Record<string, unknown>): void => {
      if (message.type !== type) return;
      cleanup();
      resolve(message);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`worker exited with ${code} while waiting for "${type}"`));
    };
    worker.on('message', on);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  console.log(`starting Kafka…`);
  const broker = await KafkaBroker.start({ numPartitions: 3 });
  const metrics = new SdkMetrics({ defaultMetrics: false });
  const bus = createMessageBus({
    client: kafkaClient,
    brokers: [broker.bootstrapServers],
    security: broker.busSecurity(),
    clientId: 'bench',
    consumerGroup: 'bench-gateway',
    instanceId: 'bench',
    metrics,
    maxWaitTimeMs: 100,
  });
  const app = Fastify();
  try {
    const admin = (await import('kafkajs')).Kafka;
    const kafkaAdmin = new admin({
      clientId: 'bench-admin',
      ...broker.kafkajsConfig(),
      logLevel: 0,
    }).admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq` }],
    });
    await kafkaAdmin.disconnect();

    await bus.connect();
    await app.register(wsHubPlugin, { topics: [topic], auth: { secret }, metrics });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    // BENCH_DIAG=1 also reports the Kafka → hub part of the delay (same path as the bridge).
    const hubDelays: number[] = [];
    const subscription = process.env.BENCH_DIAG
      ? await bus.subscribe({
          topics: [topic],
          mode: 'broadcast',
          codec: jsonWithTextCodec,
          handler: (record) => {
            hubDelays.push(Date.now() - record.timestamp);
            app.realtimeHub.publish(record.topic, record.value.data, {
              ts: record.timestamp,
              json: record.value.json,
            });
          },
        })
      : await bridgeKafkaToHub(bus, app.realtimeHub, { topics: [topic] });
    setInterval(() => {
      if (hubDelays.length === 0) return;
      const sorted = hubDelays.splice(0).sort((a, b) => a - b);
      console.log(`  kafka→hub p50 ${percentile(sorted, 50)} ms p99 ${percentile(sorted, 99)} ms`);
    }, 2000).unref();
    await subscription.waitUntilJoined();

    // Every device of the one topic: the clients subscribe without a device filter.
    const token = await new SignJWT({ [accessClaimName]: { topics: [topic], devices: '*' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bench')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    const producer = new Worker(new URL('./ws-fanout.producer.js', import.meta.url), {
      workerData: {
        brokers: broker.bootstrapServers,
        security: broker.busSecurity(),
        topic,
        kafkaClient,
      },
    });
    const fromProducer = (type: string) => waitFor(producer, type);
    await fromProducer('ready');

    /** The client harness against `url`, every rate; answers the printed lines. */
    const measure = async (
      server: 'hub' | 'raw-ws',
      url: string,
      subscribed: () => number,
      dropped: () => number,
    ): Promise<string[]> => {
      const worker = new Worker(new URL('./ws-fanout.clients.js', import.meta.url), {
        workerData: { url, token, topic, clients, sampleEvery: 10 },
      });
      const fromWorker = (type: string) => waitFor(worker, type);
      await fromWorker('ready');
      while (subscribed() < clients) await sleep(50);
      console.log(`${server}: ${clients} clients connected and subscribed`);
      const lines: string[] = [];
      for (const rate of rates) {
        producer.postMessage({ type: 'start', rate });
        await sleep(1500); // warm-up at this rate
        const dropsBefore = dropped();
        let counted = fromProducer('count');
        producer.postMessage({ type: 'count' });
        const producedBefore = (await counted).produced as number;
        worker.postMessage({ type: 'start' });
        const started = process.hrtime.bigint();
        await sleep(seconds * 1000);
        const result = fromWorker('result');
        worker.postMessage({ type: 'stop' });
        counted = fromProducer('count');
        producer.postMessage({ type: 'count' });
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        const producedDuring = ((await counted).produced as number) - producedBefore;
        const { frames, gaps, closed, delays } = (await result) as {
          frames: number;
          gaps: number;
          closed: number;
          delays: number[];
        };
        const stopped = fromProducer('stopped');
        producer.postMessage({ type: 'stop' });
        await stopped;
        await sleep(1000); // drain
        const drops = dropped() - dropsBefore;
        const sorted = [...delays].sort((a, b) => a - b);
        const line =
          `${server.padEnd(6)} target ${String(rate).padStart(4)} rec/s: produced ${(producedDuring / elapsed).toFixed(0).padStart(4)} rec/s, ` +
          `received ${(frames / elapsed).toFixed(0).padStart(7)} frames/s, delay p50 ${percentile(sorted, 50).toFixed(0)} ms ` +
          `p99 ${percentile(sorted, 99).toFixed(0)} ms (${sorted.length} samples), dropped ${drops}, gap frames ${gaps}, closed ${closed}`;
        console.log(line);
        // One machine-readable line per rate, for the project's `npm run bench` table.
        console.log(
          `BENCH_JSON ${JSON.stringify({
            server,
            kafkaClient,
            rate,
            clients,
            producedPerSecond: producedDuring / elapsed,
            framesPerSecond: frames / elapsed,
            p50Ms: percentile(sorted, 50),
            p99Ms: percentile(sorted, 99),
            dropped: drops,
            gapFrames: gaps,
            closed,
          })}`,
        );
        lines.push(line);
        // Fallen behind (under 90 % of the frames the produced records make): a server without
        // backpressure (the raw `ws` baseline) only grows its send buffers at higher rates - the
        // previous run died of a 4 GiB heap there - so its best figure is already measured.
        const offeredFrames = producedDuring * clients;
        if (frames < 0.9 * offeredFrames) {
          console.log(
            `${server}: fell behind at ${rate} rec/s (${frames} of ${offeredFrames} frames): higher rates skipped`,
          );
          break;
        }
      }
      worker.postMessage({ type: 'close' });
      await sleep(300);
      await worker.terminate();
      return lines;
    };

    const results = await measure(
      'hub',
      `${address.replace('http', 'ws')}/ws`,
      () => app.realtimeHub.clientStats().filter((c) => c.subscriptions > 0).length,
      () => app.realtimeHub.clientStats().reduce((sum, c) => sum + c.dropped, 0),
    );
    await subscription.stop();

    // The baseline: a raw `ws` server, the README's broadcast (`client.send(data)` to every open
    // client, no per-message deflate), fed by the same bus from the same topic. Each frame carries
    // the hub's envelope (the client harness reads "type" and "ts" from it).
    const raw = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise((resolve) => raw.once('listening', resolve));
    let rawSubscribed = 0;
    raw.on('connection', (socket) => socket.once('message', () => (rawSubscribed += 1)));
    let seq = 0;
    const prefix = `{"v":1,"type":"data","topic":${JSON.stringify(topic)},"sub":"raw","seq":`;
    const rawFeed = await bus.subscribe({
      topics: [topic],
      mode: 'broadcast',
      codec: jsonWithTextCodec,
      batchHandler: (records) => {
        for (const record of records) {
          seq += 1;
          const data = Buffer.from(
            `${prefix}${seq},"ts":${record.timestamp},"data":${record.value.json}}`,
          );
          for (const client of raw.clients) client.send(data, { binary: false });
        }
      },
    });
    await rawFeed.waitUntilJoined();
    const { port: rawPort } = raw.address() as { port: number };
    results.push(
      ...(await measure(
        'raw-ws',
        `ws://127.0.0.1:${rawPort}/`,
        () => rawSubscribed,
        () => 0,
      )),
    );
    await rawFeed.stop();
    for (const client of raw.clients) client.terminate();
    await new Promise((resolve) => raw.close(resolve));

    producer.postMessage({ type: 'close' });
    await sleep(500);
    await producer.terminate();

    console.log('\n== ws-fanout benchmark ==');
    console.log(
      `cores ${cpus().length} (${cpus()[0]?.model ?? '?'}), node ${process.version}, kafka (local-infra, KRaft), ` +
        `MessageBus ${kafkaClient}, ws ${version('ws')}, fastify ${version('fastify')}, @fastify/websocket ${version('@fastify/websocket')}`,
    );
    console.log(
      `${clients} WebSocket clients in a worker thread, one subscription each (same topic), JWT auth on (hub); producer in another worker; ${seconds} s per rate`,
    );
    for (const line of results) console.log(line);
  } finally {
    await app.close();
    await bus.close();
    await broker.stop();
  }
}

await main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exitCode = 1;
});
