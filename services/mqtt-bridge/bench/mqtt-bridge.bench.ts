/**
 * Benchmark (not a test): simulated devices → Mosquitto → the built bridge (its own process) →
 * Kafka `device_data`, all on this machine. Prints the rate the simulator achieved, the rate the
 * bridge forwarded (its own counter over the measured window), and the delay from a reading's
 * creation (its timestamp, taken when it is published) to its Kafka record (CreateTime, set when
 * the bridge sends it), p50/p99 over every record of the window.
 *
 * `npm run bench -w @realtime-platform/mqtt-bridge` — env: BENCH_RATE (30000), BENCH_SECONDS (20),
 * BENCH_DEVICES (1000), BENCH_CONNECTIONS (2), BENCH_BRIDGE_NODE_OPTIONS (NODE_OPTIONS of the bridge,
 * default the image's `--max-semi-space-size=64`). Also prints the bridge's CPU time per reading,
 * the figure that holds when other processes compete for the two cores.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startSimulation } from '@realtime-platform/device-simulator';
import {
  KafkaBroker,
  MosquittoBroker,
  NodeService,
  localPlatformEnv,
} from '@realtime-platform/local-infra';
import { deviceDataTopic, dlqTopicName, runtimeEnv } from '@realtime-platform/platform-contract';

const rate = Number(process.env.BENCH_RATE ?? 30_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const devices = Number(process.env.BENCH_DEVICES ?? 1000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 2);
const warmupSeconds = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** CPU time (user + system, ms) of a process so far, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

/** Sum and count of a histogram of the bridge's /metrics. */
async function histogram(
  bridge: NodeService,
  name: string,
): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const read = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  return { sum: read('sum'), count: read('count') };
}

async function forwardedTotal(bridge: NodeService): Promise<number> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  return Number(/^rtp_mqtt_bridge_readings_forwarded_total(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1]);
}

async function main(): Promise<void> {
  console.log(`starting Kafka and Mosquitto ...`);
  const kafka = await KafkaBroker.start({ heap: '1g' });
  const mqtt = await MosquittoBroker.start();
  const client = new Kafka({
    clientId: 'bench',
    ...kafka.kafkajsConfig(),
    logLevel: logLevel.NOTHING,
  });
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: deviceDataTopic, numPartitions: 6 },
      { topic: dlqTopicName(deviceDataTopic), numPartitions: 1 },
    ],
  });
  await admin.disconnect();
  const bridge = await NodeService.start({
    name: 'mqtt-bridge',
    entry: fileURLToPath(new URL('../main.js', import.meta.url)),
    env: {
      ...localPlatformEnv({ kafka, mqtt }, { kafkaPrincipal: 'bridge', mqttRole: 'bridge' }),
      [runtimeEnv.serviceName]: 'mqtt-bridge',
      [runtimeEnv.instanceId]: `bench-${randomUUID().slice(0, 8)}`,
      [runtimeEnv.logLevel]: 'warn',
      [runtimeEnv.secretsDir]: '/nonexistent/realtime-platform-secrets',
      // As the image sets it (Dockerfile); override to compare or to load a profiler.
      NODE_OPTIONS: process.env.BENCH_BRIDGE_NODE_OPTIONS ?? '--max-semi-space-size=64',
    },
  });
  try {
    console.log(
      `simulating ${devices} devices at ${rate} readings/s for ${warmupSeconds + seconds} s (${connections} MQTT connections, QoS 1) ...`,
    );
    const simulation = await startSimulation({
      devices,
      rate,
      connections,
      durationMs: (warmupSeconds + seconds) * 1000,
      heartRateSpikeRatio: 0.001,
      connection: { url: mqtt.mqttUrl, ...mqtt.credentials.gateway },
    });
    await sleep(warmupSeconds * 1000);
    const windowStart = Date.now();
    const forwardedAtStart = await forwardedTotal(bridge);
    const cpuAtStart = cpuMs(bridge.pid);
    await sleep(seconds * 1000);
    const windowEnd = Date.now();
    const forwardedAtEnd = await forwardedTotal(bridge);
    const bridgeCpuMs = cpuMs(bridge.pid) - cpuAtStart;
    const report = await simulation.done;
    // Let the bridge catch up, then read the log for the delays.
    for (let i = 0; i < 120 && (await forwardedTotal(bridge)) < report.acknowledged; i += 1) {
      await sleep(500);
    }
    const delays: number[] = [];
    let records = 0;
    const consumer = client.consumer({ groupId: `bench-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: deviceDataTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              records += 1;
              const created = Number(message.timestamp);
              if (created >= windowStart && created <= windowEnd && message.value) {
                const { timestamp } = JSON.parse(message.value.toString()) as { timestamp: number };
                delays.push(created - timestamp);
              }
            }
            if (records >= report.acknowledged) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    delays.sort((a, b) => a - b);
    const forwardedRate = (forwardedAtEnd - forwardedAtStart) / ((windowEnd - windowStart) / 1000);
    console.log('');
    console.log(`target rate                 ${rate} readings/s`);
    console.log(
      `simulator achieved          ${Math.round(report.achievedRate)} readings/s (QoS 1 PUBACKs)`,
    );
    console.log(
      `bridge forwarded (window)   ${Math.round(forwardedRate)} readings/s to ${deviceDataTopic}`,
    );
    const batches = await histogram(bridge, 'rtp_mqtt_bridge_batch_size');
    console.log(
      `bridge CPU                  ${((bridgeCpuMs * 1000) / (forwardedAtEnd - forwardedAtStart)).toFixed(1)} µs per reading (${Math.round(((forwardedAtEnd - forwardedAtStart) / bridgeCpuMs) * 1000)} readings/s per core)`,
    );
    console.log(
      `bridge batches              ${batches.count} Kafka writes, ${(batches.sum / batches.count).toFixed(0)} readings each on average`,
    );
    console.log(
      `records in ${deviceDataTopic}        ${records} for ${report.acknowledged} acknowledged readings`,
    );
    console.log(
      `publish → Kafka record      p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms (${delays.length} records)`,
    );
  } finally {
    await bridge.stop();
    await mqtt.stop();
    await kafka.stop();
  }
}

await main();
