import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import {
  LocalPlatform,
  platformServices,
  type PlatformServiceName,
} from '@realtime-platform/local-platform';
import { MosquittoBroker, NodeService, type ServiceProcess } from '@realtime-platform/local-infra';
import {
  deviceDataTopic,
  deviceMqttTopic,
  runtimeEnv,
  vitalTopics,
} from '@realtime-platform/platform-contract';
import type { BenchFigure, BenchPart } from '../bench-part.js';
import { cpuBudget, sampleCpu, type CpuBudget, type PathProcesses } from '../cpu-budget.js';
import { benchMemoryLimitsMiB } from '../pod-memory-limits.js';
import { processStats } from '../process.stats.js';
import { ProbeProcess } from '../probes/probe.client.js';
import { endOffsetTotal } from '../topic.progress.js';

const sustainedRate = Number(process.env.BENCH_PIPELINE_RATE ?? 40_000);
const sustainedSeconds = Number(process.env.BENCH_PIPELINE_SECONDS ?? 30);
const warmupSeconds = 5;
const devices = 1000;
const connections = 4;

/** The device simulator as a service of its own, offering `rate` readings/s. */
function startSimulator(platform: LocalPlatform, rate: number, mqtt?: MosquittoBroker) {
  const spec = platformServices({
    platformName: platform.name,
    wsJwtSecret: platform.wsJwtSecret,
    wsJwtIssuer: platform.wsJwtIssuer,
    wsJwtAudience: platform.wsJwtAudience,
    wsMaxSubscriptions: 256,
    simulator: { devices, rate },
  }).find((candidate) => candidate.name === 'device-simulator')!;
  // Against another Mosquitto (the baseline): its gateway user, as the platform's is the default.
  const mqttKeys: Record<string, string> =
    mqtt === undefined
      ? {}
      : {
          MQTT_HOST: mqtt.host,
          MQTT_PORT: String(mqtt.mqttPort),
          MQTT_URL: mqtt.mqttUrl,
          MQTT_WS_PORT: String(mqtt.wsPort),
          MQTT_WS_URL: mqtt.wsUrl,
          MQTT_USERNAME: mqtt.credentials.gateway.username,
          MQTT_PASSWORD: mqtt.credentials.gateway.password,
        };
  return NodeService.start({
    name: 'device-simulator',
    entry: spec.entry,
    env: {
      ...platform.envFor(spec),
      ...spec.env,
      ...mqttKeys,
      [runtimeEnv.simConnections]: String(connections),
      [runtimeEnv.simHeartRateSpikeRatio]: '0',
    },
  });
}

const cores = availableParallelism();

/**
 * A path's CPU per 100k units, per process and in all, and the rate CPU alone would allow it on
 * this machine: with every core busy, the sustained rate cannot pass `cores × 100k / total`, so a
 * ratio target above the ratio of the ceilings cannot be met by tuning waits, only by less CPU.
 */
function budgetFigures(path: string, units: string, budget: CpuBudget): BenchFigure[] {
  return [
    {
      name: `${path} CPU per 100k ${units}, all its processes`,
      value: budget.totalPerHundredK,
      unit: 'CPU s',
      note: budget.perProcess
        .map((entry) => `${entry.name} ${entry.perHundredK.toFixed(2)}`)
        .join(', '),
    },
    {
      name: `${path} CPU ceiling on ${cores} cores`,
      value: budget.cpuCeilingPerSecond,
      unit: `${units}/s`,
      note: `machine busy ${(100 * budget.machineBusy).toFixed(0)} % of its cores in the window`,
    },
  ];
}

/**
 * The whole local path, every service its own process: simulated devices → MQTT (Mosquitto) →
 * mqtt-bridge → Kafka device_data → stream-processor → the four vital topics (→ realtime-service).
 * (1) The baseline, first, in the same run: the same simulator (its own process, same devices,
 * connections, payloads and offered rate) against a Mosquitto of its own, read by one raw mqtt.js
 * QoS 1 subscriber (its own process, counting only): the MQTT leg's own ceiling on this machine.
 * (2) Sustained: the simulator offers more than the path can take; the split topics' end offsets
 * give what comes out. The ratio (2)/(1) is the target figure. (3) RSS of each service after (2).
 * Both windows also measure the CPU each process of the path spent per reading (`cpu-budget`).
 * The latency curve is the `latency` part (measured from outside the bench's process).
 */
export function pipelinePart(kafkaClient: string): BenchPart {
  return {
    name: 'pipeline',
    variant: kafkaClient,
    description: `MQTT → bridge → Kafka → splitter → topics: sustained readings/s (offered ${sustainedRate}/s) beside raw Mosquitto QoS 1 pub → sub with the same simulator, RSS (MessageBus ${kafkaClient})`,
    async run(log) {
      const figures: BenchFigure[] = [];
      const memoryLimitsMiB = benchMemoryLimitsMiB(log);
      const platform = await LocalPlatform.start({
        name: 'bench',
        services: ['mqtt-bridge', 'stream-processor', 'realtime-service'],
        simulator: false,
        serviceEnv: { [runtimeEnv.kafkaClient]: kafkaClient },
        memoryLimitsMiB,
      });
      const kafka = new Kafka({
        clientId: 'bench-pipeline',
        ...platform.kafka.kafkajsConfig('admin'),
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      try {
        // (1) Raw Mosquitto QoS 1: simulator → a Mosquitto of its own → one subscriber (the
        // platform's services idle meanwhile: they never see these readings).
        log(
          `baseline: raw Mosquitto QoS 1, offering ${sustainedRate}/s for ${sustainedSeconds} s…`,
        );
        const mosquitto = await MosquittoBroker.start();
        let rawRate: number;
        let rawBudget: CpuBudget;
        try {
          const subscriber = await ProbeProcess.start('raw-subscriber', 'mqtt-latency.probe.js', {
            PROBE_URL: mosquitto.mqttUrl,
            PROBE_USERNAME: mosquitto.credentials.bridge.username,
            PROBE_PASSWORD: mosquitto.credentials.bridge.password,
            PROBE_TOPIC: deviceMqttTopic,
          });
          try {
            const simulator = await startSimulator(platform, sustainedRate, mosquitto);
            try {
              await sleep(warmupSeconds * 1000);
              const baselineProcesses: PathProcesses = {
                'device-simulator': simulator.pid,
                mosquitto: mosquitto.pid,
                'raw-subscriber': subscriber.pid,
              };
              const cpuBefore = sampleCpu(baselineProcesses);
              subscriber.start();
              await sleep(sustainedSeconds * 1000);
              const result = await subscriber.stop();
              rawBudget = cpuBudget(cpuBefore, sampleCpu(baselineProcesses), result.count, cores);
              rawRate = result.count / result.wallSeconds;
              log(
                `raw Mosquitto QoS 1: ${rawRate.toFixed(0)} msg/s received (p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms from the reading's timestamp; subscriber CPU ${((100 * result.cpuSeconds) / result.wallSeconds).toFixed(0)} %)`,
              );
            } finally {
              await simulator.stop();
            }
          } finally {
            await subscriber.close();
          }
        } finally {
          await mosquitto.stop();
        }

        // (2) Sustained: the same simulator, now into the platform.
        const splitTotal = (): Promise<number> => endOffsetTotal(admin, vitalTopics);
        const inputTotal = (): Promise<number> => endOffsetTotal(admin, [deviceDataTopic]);
        const simulator = await startSimulator(platform, sustainedRate);
        try {
          log(
            `offering ${sustainedRate} readings/s for ${sustainedSeconds} s (${warmupSeconds} s warm-up)…`,
          );
          await sleep(warmupSeconds * 1000);
          const pathProcesses: PathProcesses = {
            'device-simulator': simulator.pid,
            mosquitto: platform.mqtt.pid,
            'mqtt-bridge': platform.service('mqtt-bridge').pid,
            kafka: platform.kafka.pid,
            'schema-registry': platform.schemaRegistry.pid,
            'stream-processor': platform.service('stream-processor').pid,
            'realtime-service': platform.service('realtime-service').pid,
          };
          const [split0, input0, t0] = [await splitTotal(), await inputTotal(), performance.now()];
          const cpuBefore = sampleCpu(pathProcesses);
          await sleep(sustainedSeconds * 1000);
          const cpuAfter = sampleCpu(pathProcesses);
          const [split1, input1, t1] = [await splitTotal(), await inputTotal(), performance.now()];
          const seconds = (t1 - t0) / 1000;
          const through = (split1 - split0) / vitalTopics.length / seconds;
          // The front of the path (devices, Mosquitto, bridge) carried what the bridge did; the rest
          // what reached the split topics (Kafka did both: its share is counted per split reading).
          const front = new Set(['device-simulator', 'mosquitto', 'mqtt-bridge']);
          const budget = cpuBudget(
            cpuBefore,
            cpuAfter,
            (name) => (front.has(name) ? input1 - input0 : (split1 - split0) / vitalTopics.length),
            cores,
          );
          const bridged = (input1 - input0) / seconds;
          log(`bridged ${bridged.toFixed(0)}/s, split ${through.toFixed(0)} readings/s`);
          figures.push(
            {
              name: 'pipeline sustained (MQTT → 4 split topics)',
              value: through,
              unit: 'readings/s',
            },
            {
              name: 'baseline raw Mosquitto QoS 1 pub → sub',
              value: rawRate,
              unit: 'msg/s',
              note: `same simulator, ${devices} devices, ${connections} connections, offered ${sustainedRate}/s`,
            },
            {
              name: 'ratio pipeline / raw Mosquitto QoS 1',
              value: through / rawRate,
              unit: '×',
              note: 'target ≥ 0.6',
            },
            {
              name: 'bridge sustained (MQTT → device_data)',
              value: bridged,
              unit: 'readings/s',
              note: `ratio to raw Mosquitto ${(bridged / rawRate).toFixed(2)}`,
            },
            ...budgetFigures('pipeline', 'readings', budget),
            ...budgetFigures('baseline raw Mosquitto', 'msgs', rawBudget),
            {
              name: 'ratio of the CPU ceilings pipeline / raw Mosquitto',
              value: budget.cpuCeilingPerSecond / rawBudget.cpuCeilingPerSecond,
              unit: '×',
              note: 'the best ratio this CPU cost per reading allows (target ≥ 0.6)',
            },
          );
          // (3) Memory at the end of the sustained run, each service process.
          const services: [string, ServiceProcess][] = [
            ...(
              ['mqtt-bridge', 'stream-processor', 'realtime-service'] as PlatformServiceName[]
            ).map((name): [string, ServiceProcess] => [name, platform.service(name)]),
            ['device-simulator', simulator],
          ];
          for (const [name, service] of services) {
            const memory = service.memoryStats();
            if (service.pid !== undefined && service.running)
              figures.push({
                name: `RSS ${name}`,
                value: processStats(service.pid).rssMiB,
                unit: 'MiB',
                note:
                  'end of sustained run; ' +
                  (memory === undefined
                    ? 'no memory limit'
                    : `pod limit ${memory.limitMiB} MiB, peak ${memory.peakMiB.toFixed(0)} MiB, OOM kills ${memory.oomKills}`),
              });
            else
              figures.push({
                name: `RSS ${name}`,
                value: Number.NaN,
                unit: 'MiB',
                note: `not running at the end (OOM kills ${memory?.oomKills ?? 'unknown'})`,
              });
          }
        } finally {
          await simulator.stop();
        }
        return {
          figures,
          details: {
            kafkaClient,
            sustainedRate,
            sustainedSeconds,
            devices,
            connections,
            rawRate,
            memoryLimitsMiB,
          },
        };
      } finally {
        await admin.disconnect();
        await platform.stop();
      }
    },
  };
}
