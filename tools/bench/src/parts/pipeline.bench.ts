import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import { LocalPlatform, platformServices, type PlatformServiceName } from '@realtime-platform/cli';
import { startSimulation } from '@realtime-platform/device-simulator';
import { NodeService } from '@realtime-platform/local-infra';
import { deviceDataTopic, runtimeEnv, vitalTopics } from '@realtime-platform/platform-contract';
import { vitalTopicSchemas } from '@realtime-platform/health-domain';
import { avroCodec, SchemaRegistryClient, type AvroSchema } from '@realtime-platform/realtime-sdk';
import type { BenchFigure, BenchPart } from '../bench-part.js';
import { processStats } from '../process.stats.js';
import { endOffsetTotal } from '../topic.progress.js';

const sustainedRate = Number(process.env.BENCH_PIPELINE_RATE ?? 40_000);
const sustainedSeconds = Number(process.env.BENCH_PIPELINE_SECONDS ?? 30);
const latencyRate = Number(process.env.BENCH_LATENCY_RATE ?? 5_000);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const heartRateTopic = vitalTopics[1];

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * The whole local path, every service its own process: simulated devices → MQTT (Mosquitto) →
 * mqtt-bridge → Kafka device_data → stream-processor → the four vital topics → realtime-service →
 * WebSocket. (1) latency at a moderate fixed rate, from MQTT publish to the record on a split
 * topic and to the WebSocket frame, on a fresh platform (a backlog of (2) would be measured as
 * latency otherwise); (2) sustained: the simulator (its own process) offers more than the path
 * can take, the split topics' end offsets give what comes out; (3) RSS of each service after (2).
 */
export const pipelinePart: BenchPart = {
  name: 'pipeline',
  description: `MQTT → bridge → Kafka → splitter → topics → WebSocket: sustained readings/s (offered ${sustainedRate}/s), latency at ${latencyRate}/s, RSS`,
  async run(log) {
    const platform = await LocalPlatform.start({
      name: 'bench',
      services: ['mqtt-bridge', 'stream-processor', 'realtime-service'],
      simulator: false,
    });
    const figures: BenchFigure[] = [];
    const kafka = new Kafka({
      clientId: 'bench-pipeline',
      ...platform.kafka.kafkajsConfig('admin'),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      // (1) Latency at a moderate rate, first, on a platform without backlog: publish times from the simulator's PUBACK callback.
      const publishedAt = new Map<string, number>();
      const toTopic: number[] = [];
      const toSocket: number[] = [];
      const registry = new SchemaRegistryClient({
        url: platform.schemaRegistry.url,
        credentials: platform.schemaRegistry.credentials(),
      });
      const codec = avroCodec<{ deviceId: string; createdTime: number }>({
        registry,
        schema: vitalTopicSchemas[heartRateTopic] as unknown as AvroSchema,
      });
      const consumer = kafka.consumer({ groupId: `bench-latency-${Date.now()}` });
      await consumer.connect();
      await consumer.subscribe({ topic: heartRateTopic, fromBeginning: false });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = await codec.decode(message.value!, { topic: heartRateTopic });
          const sent = publishedAt.get(`${value.deviceId}@${value.createdTime}`);
          if (sent !== undefined) toTopic.push(Number(message.timestamp) - sent);
        },
      });
      const socket = new WebSocket(
        `${platform.service('realtime-service').url.replace('http', 'ws')}/ws`,
        {
          // Every device of the one topic: the bench watches all 500 simulated devices.
          headers: {
            authorization: `Bearer ${await platform.token({ devices: '*', topics: [heartRateTopic] }, 'bench')}`,
          },
        },
      );
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as {
          type: string;
          data?: { deviceId: string; recordedAt: string };
        };
        if (frame.type !== 'data' || frame.data === undefined) return;
        const sent = publishedAt.get(`${frame.data.deviceId}@${Date.parse(frame.data.recordedAt)}`);
        if (sent !== undefined) toSocket.push(Date.now() - sent);
      });
      socket.send(JSON.stringify({ type: 'subscribe', topic: heartRateTopic, id: 'bench' }));
      await sleep(3_000); // group joined, subscription acknowledged
      log(`latency run: ${latencyRate} readings/s for ${latencySeconds} s…`);
      const simulation = await startSimulation({
        devices: 500,
        rate: latencyRate,
        connection: { url: platform.mqtt.mqttUrl, ...platform.mqtt.credentials.gateway },
        durationMs: latencySeconds * 1000,
        heartRateSpikeRatio: 0,
        onAcknowledged: (reading) =>
          publishedAt.set(`${reading.deviceId}@${reading.timestamp}`, reading.publishedAt),
      });
      const report = await simulation.done;
      await sleep(3_000);
      socket.close();
      await consumer.disconnect();
      // (2) Sustained: the simulator as a service of its own, 1000 devices over 4 connections.
      const simulatorSpec = platformServices({
        platformName: platform.name,
        wsJwtSecret: platform.wsJwtSecret,
        wsJwtIssuer: platform.wsJwtIssuer,
        wsJwtAudience: platform.wsJwtAudience,
        wsMaxSubscriptions: 256,
        simulator: { devices: 1000, rate: sustainedRate },
      }).find((spec) => spec.name === 'device-simulator')!;
      const splitTotal = (): Promise<number> => endOffsetTotal(admin, vitalTopics);
      const inputTotal = (): Promise<number> => endOffsetTotal(admin, [deviceDataTopic]);
      const simulator = await NodeService.start({
        name: 'device-simulator',
        entry: simulatorSpec.entry,
        env: {
          ...platform.envFor(simulatorSpec),
          ...simulatorSpec.env,
          [runtimeEnv.simConnections]: '4',
          [runtimeEnv.simHeartRateSpikeRatio]: '0',
        },
      });
      try {
        log(`offering ${sustainedRate} readings/s for ${sustainedSeconds} s (5 s warm-up)…`);
        await sleep(5_000);
        const [split0, input0, t0] = [await splitTotal(), await inputTotal(), performance.now()];
        await sleep(sustainedSeconds * 1000);
        const [split1, input1, t1] = [await splitTotal(), await inputTotal(), performance.now()];
        const seconds = (t1 - t0) / 1000;
        const through = (split1 - split0) / vitalTopics.length / seconds;
        const bridged = (input1 - input0) / seconds;
        log(`bridged ${bridged.toFixed(0)}/s, split ${through.toFixed(0)} readings/s`);
        figures.push(
          {
            name: 'pipeline sustained (MQTT → 4 split topics)',
            value: through,
            unit: 'readings/s',
            note: 'target ≥ 30k',
          },
          {
            name: 'bridge sustained (MQTT → device_data)',
            value: bridged,
            unit: 'readings/s',
            note: `offered ${sustainedRate}/s`,
          },
        );
        // Memory at the end of the sustained run, each service process.
        const services: [string, number | undefined][] = [
          ...(['mqtt-bridge', 'stream-processor', 'realtime-service'] as PlatformServiceName[]).map(
            (name): [string, number | undefined] => [name, platform.service(name).pid],
          ),
          ['device-simulator', simulator.pid],
        ];
        for (const [name, pid] of services) {
          if (pid !== undefined)
            figures.push({
              name: `RSS ${name}`,
              value: processStats(pid).rssMiB,
              unit: 'MiB',
              note: 'end of sustained run',
            });
        }
      } finally {
        await simulator.stop();
      }
      const topicSorted = [...toTopic].sort((a, b) => a - b);
      const socketSorted = [...toSocket].sort((a, b) => a - b);
      log(
        `achieved ${report.achievedRate.toFixed(0)}/s; ${topicSorted.length} topic and ${socketSorted.length} WebSocket samples`,
      );
      figures.push(
        {
          name: `latency MQTT → split topic p50 @${latencyRate}/s`,
          value: percentile(topicSorted, 50),
          unit: 'ms',
        },
        {
          name: `latency MQTT → split topic p99 @${latencyRate}/s`,
          value: percentile(topicSorted, 99),
          unit: 'ms',
        },
        {
          name: `latency MQTT → WebSocket p50 @${latencyRate}/s`,
          value: percentile(socketSorted, 50),
          unit: 'ms',
        },
        {
          name: `latency MQTT → WebSocket p99 @${latencyRate}/s`,
          value: percentile(socketSorted, 99),
          unit: 'ms',
          note: 'target ≤ 50 ms',
        },
      );
      return {
        figures,
        details: {
          sustainedRate,
          sustainedSeconds,
          latencyRate,
          latencySeconds,
          latencyAchievedRate: report.achievedRate,
          samples: { topic: topicSorted.length, websocket: socketSorted.length },
        },
      };
    } finally {
      await admin.disconnect();
      await platform.stop();
    }
  },
};
