import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  LocalPlatform,
  platformServices,
  type PlatformServiceName,
} from '@realtime-platform/local-platform';
import { logTail, NodeService, type MemoryCgroupStats } from '@realtime-platform/local-infra';
import { deviceMqttTopic, runtimeEnv, vitalTopics } from '@realtime-platform/platform-contract';
import type { BenchFigure, BenchPart } from '../bench-part.js';
import {
  formatCpuProfileSummary,
  summarizeCpuProfiles,
  type CpuProfileSummary,
} from '../cpu-profile.summary.js';
import { benchMemoryLimitsMiB } from '../pod-memory-limits.js';
import { processStats } from '../process.stats.js';
import { ProbeProcess } from '../probes/probe.client.js';
import type { ProbeResult } from '../probes/probe.protocol.js';
import { stageTimings, type StageTiming } from '../stage.timings.js';

const rates = (process.env.BENCH_LATENCY_RATES ?? '500,1000,2000,3000,5000')
  .split(',')
  .map(Number)
  .filter((rate) => rate > 0);
const stepSeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const warmupSeconds = Number(process.env.BENCH_LATENCY_WARMUP_SECONDS ?? 5);
const devices = Number(process.env.BENCH_LATENCY_DEVICES ?? 500);
/** When set, the services (`BENCH_CPU_PROF_SERVICES`, default all three) write V8 CPU profiles there. */
const cpuProfileDir = process.env.BENCH_CPU_PROF_DIR;
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
/** The p99 a live vital-signs display can live with: the rate figure is the highest under it. */
const p99BudgetMs = 100;

export interface LatencyStep {
  readonly rate: number;
  /** Readings/s that reached the WebSocket probe (frames / 4 vital topics / seconds). */
  readonly deliveredRate: number;
  readonly platform: ProbeResult;
  readonly baseline: ProbeResult;
  readonly stages: readonly StageTiming[];
  readonly rssMiB: Readonly<Record<string, number>>;
  readonly cpuSeconds: Readonly<Record<string, number>>;
  /** Per service under a memory limit: the limit, the group's peak and the kernel's OOM kills. */
  readonly memory: Readonly<Record<string, MemoryCgroupStats>>;
}

const services: readonly PlatformServiceName[] = [
  'mqtt-bridge',
  'stream-processor',
  'realtime-service',
];

/**
 * The latency curve of the realtime path, measured from outside: the platform's services as
 * `rtp dev` runs them (each its own process, on this machine's cores), the device simulator as the
 * load generator (its own process), and two probes (each its own process, see probe.protocol.ts):
 * - `platform`: a WebSocket client of realtime-service on the four vital topics, every device:
 *   MQTT publish → bridge → device_data → splitter → vital topic → realtime-service → frame;
 * - `baseline`: an MQTT client over Mosquitto's WebSocket listener on the devices' topic - what a
 *   browser could get without the platform, at the same rate, from the same readings.
 * Delay = receipt time − the reading's timestamp (taken by the simulator as it publishes). At each
 * rate: p50, p99, max of both, the probes' own CPU, per-stage timings from the services' metrics,
 * RSS and CPU of each service.
 */
export function latencyPart(kafkaClient: string): BenchPart {
  return {
    name: 'latency',
    variant: kafkaClient,
    description: `MQTT publish → WebSocket frame from outside (separate probe processes) at ${rates.join(', ')} readings/s, beside MQTT over Mosquitto's WebSocket listener (MessageBus ${kafkaClient})`,
    async run(log) {
      const memoryLimitsMiB = benchMemoryLimitsMiB(log);
      const platform = await LocalPlatform.start({
        name: 'bench',
        services: [...services],
        simulator: false,
        serviceEnv: { [runtimeEnv.kafkaClient]: kafkaClient },
        memoryLimitsMiB,
        ...(cpuProfileDir === undefined
          ? {}
          : { cpuProfile: { dir: cpuProfileDir, services: profiledServices() } }),
      });
      const probes: ProbeProcess[] = [];
      const steps: LatencyStep[] = [];
      try {
        const realtime = platform.service('realtime-service');
        const token = await platform.token({ devices: '*', topics: [...vitalTopics] }, 'bench');
        const platformProbe = await ProbeProcess.start('platform', 'ws-latency.probe.js', {
          PROBE_URL: `${realtime.url.replace('http', 'ws')}/ws`,
          PROBE_TOKEN: token,
          PROBE_TOPICS: vitalTopics.join(','),
        });
        probes.push(platformProbe);
        const baselineProbe = await ProbeProcess.start('baseline', 'mqtt-latency.probe.js', {
          PROBE_URL: platform.mqtt.wsUrl,
          // The bridge's role: applications may not read patient readings over MQTT (the contract's
          // ACL); the baseline measures what reading them straight from the broker would cost.
          PROBE_USERNAME: platform.mqtt.credentials.bridge.username,
          PROBE_PASSWORD: platform.mqtt.credentials.bridge.password,
          PROBE_TOPIC: deviceMqttTopic,
        });
        probes.push(baselineProbe);
        const simulatorSpec = (rate: number) =>
          platformServices({
            platformName: platform.name,
            wsJwtSecret: platform.wsJwtSecret,
            wsJwtIssuer: platform.wsJwtIssuer,
            wsJwtAudience: platform.wsJwtAudience,
            wsMaxSubscriptions: 256,
            simulator: { devices, rate },
          }).find((spec) => spec.name === 'device-simulator')!;
        for (const rate of rates) {
          const spec = simulatorSpec(rate);
          const simulator = await NodeService.start({
            name: 'device-simulator',
            entry: spec.entry,
            env: {
              ...platform.envFor(spec),
              ...spec.env,
              [runtimeEnv.simHeartRateSpikeRatio]: '0',
              [runtimeEnv.simConnections]: rate > 2000 ? '2' : '1',
            },
          });
          try {
            await sleep(warmupSeconds * 1000);
            const before = await stageTimings(platform);
            const cpuBefore = Object.fromEntries(
              services.map((name) => [name, processStats(platform.service(name).pid!).cpuSeconds]),
            );
            platformProbe.start();
            baselineProbe.start();
            await sleep(stepSeconds * 1000);
            const [platformResult, baselineResult] = [
              await platformProbe.stop(),
              await baselineProbe.stop(),
            ];
            servicesAlive(platform);
            const stages = await stageTimings(platform, before);
            const stats = Object.fromEntries(
              services.map((name) => [name, processStats(platform.service(name).pid!)]),
            );
            const step: LatencyStep = {
              rate,
              deliveredRate: platformResult.count / vitalTopics.length / platformResult.wallSeconds,
              platform: platformResult,
              baseline: baselineResult,
              stages,
              rssMiB: Object.fromEntries(
                Object.entries(stats).map(([name, stat]) => [name, stat.rssMiB]),
              ),
              cpuSeconds: Object.fromEntries(
                Object.entries(stats).map(([name, stat]) => [
                  name,
                  stat.cpuSeconds - (cpuBefore[name] ?? 0),
                ]),
              ),
              memory: Object.fromEntries(
                services.flatMap((name) => {
                  const memory = platform.service(name).memoryStats();
                  return memory === undefined ? [] : [[name, memory]];
                }),
              ),
            };
            steps.push(step);
            log(
              `${rate}/s: delivered ${step.deliveredRate.toFixed(0)}/s; platform p50 ${platformResult.p50Ms} p99 ${platformResult.p99Ms} max ${platformResult.maxMs} ms (probe CPU ${platformResult.cpuSeconds.toFixed(1)} s); ` +
                `MQTT over WebSocket p50 ${baselineResult.p50Ms} p99 ${baselineResult.p99Ms} max ${baselineResult.maxMs} ms (probe CPU ${baselineResult.cpuSeconds.toFixed(1)} s)`,
            );
            for (const stage of stages) {
              log(
                `  stage ${stage.stage}: p50 ≤ ${stage.p50Ms} ms, p99 ≤ ${stage.p99Ms} ms, mean ${stage.meanMs.toFixed(1)} ms (${stage.count})`,
              );
            }
          } finally {
            await simulator.stop();
          }
          await sleep(3000); // drain before the next rate
        }
      } finally {
        for (const probe of probes) await probe.close().catch(() => undefined);
        await platform.stop();
      }
      const cpuProfiles =
        cpuProfileDir === undefined ? undefined : profileSummaries(cpuProfileDir, log);
      return {
        figures: latencyFigures(steps),
        details: { kafkaClient, devices, stepSeconds, memoryLimitsMiB, steps, cpuProfiles },
      };
    },
  };
}

function profiledServices(): PlatformServiceName[] {
  const listed = process.env.BENCH_CPU_PROF_SERVICES?.split(',').filter(Boolean);
  if (listed === undefined || listed.length === 0) return [...services];
  const unknown = listed.filter((name) => !services.includes(name as PlatformServiceName));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_CPU_PROF_SERVICES: ${unknown.join(', ')} is not one of ${services.join(', ')}`,
    );
  }
  return listed as PlatformServiceName[];
}

/** Each profiled service's summary (the whole run, all rates): logged, and kept in the JSON. */
function profileSummaries(
  dir: string,
  log: (line: string) => void,
): Record<string, CpuProfileSummary[]> {
  const summaries: Record<string, CpuProfileSummary[]> = {};
  for (const name of profiledServices()) {
    const serviceDir = join(dir, name);
    if (!existsSync(serviceDir)) continue;
    summaries[name] = summarizeCpuProfiles(serviceDir, repoRoot);
    for (const summary of summaries[name]) {
      for (const line of formatCpuProfileSummary(`CPU profile ${name}`, summary)) log(line);
    }
  }
  return summaries;
}

/** A service that died under load (e.g. OOM-killed at its pod's limit) fails the part, saying so. */
function servicesAlive(platform: LocalPlatform): void {
  for (const name of services) {
    const service = platform.service(name);
    if (service.running) continue;
    const memory = service.memoryStats();
    // V8's own verdict when the heap cap (not the kernel) ended it.
    const heapOut = /FATAL ERROR: .*heap.*/i.exec(logTail(service.logFile, 80))?.[0];
    throw new Error(
      `${name} is not running any more` +
        (memory === undefined
          ? ''
          : ` (memory limit ${memory.limitMiB} MiB, peak ${memory.peakMiB.toFixed(0)} MiB, OOM kills ${memory.oomKills})`) +
        (heapOut === undefined ? '' : `: ${heapOut}`),
    );
  }
}

function latencyFigures(steps: readonly LatencyStep[]): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const step of steps) {
    const { rate, platform, baseline } = step;
    const probeCpu = (result: ProbeResult): string =>
      `probe CPU ${((100 * result.cpuSeconds) / result.wallSeconds).toFixed(0)} %`;
    figures.push(
      {
        name: `MQTT → WebSocket p50 @${rate}/s`,
        value: platform.p50Ms,
        unit: 'ms',
        note: `MQTT over WebSocket ${baseline.p50Ms} ms`,
      },
      {
        name: `MQTT → WebSocket p99 @${rate}/s`,
        value: platform.p99Ms,
        unit: 'ms',
        note: `MQTT over WebSocket ${baseline.p99Ms} ms; ${probeCpu(platform)}; delivered ${step.deliveredRate.toFixed(0)}/s`,
      },
      {
        name: `MQTT → WebSocket max @${rate}/s`,
        value: platform.maxMs,
        unit: 'ms',
        note: `MQTT over WebSocket ${baseline.maxMs} ms; ${probeCpu(baseline)}`,
      },
    );
    for (const stage of step.stages) {
      figures.push({
        name: `  stage ${stage.stage} p99 @${rate}/s`,
        value: stage.p99Ms,
        unit: 'ms',
        note: `p50 ${stage.p50Ms} ms, mean ${stage.meanMs.toFixed(1)} ms (histogram bucket bounds)`,
      });
    }
  }
  // Kept up (≥ 95 % delivered) with p99 within the budget.
  const passing = steps.filter(
    (step) => step.platform.p99Ms <= p99BudgetMs && step.deliveredRate >= 0.95 * step.rate,
  );
  const highest = passing.reduce((best, step) => Math.max(best, step.rate), 0);
  figures.push({
    name: `highest measured rate with p99 ≤ ${p99BudgetMs} ms`,
    value: highest,
    unit: 'readings/s',
    note: `of ${steps.map((step) => step.rate).join(', ')}; targets: p99 ≤ 100 ms @2k, ≤ 250 ms @5k`,
  });
  const last = steps.at(-1);
  if (last !== undefined) {
    for (const [name, rss] of Object.entries(last.rssMiB)) {
      const memory = last.memory[name];
      figures.push({
        name: `RSS ${name} @${last.rate}/s`,
        value: rss,
        unit: 'MiB',
        note:
          `target < 256; CPU ${((100 * (last.cpuSeconds[name] ?? 0)) / last.platform.wallSeconds).toFixed(0)} % of a core; ` +
          (memory === undefined
            ? 'no memory limit'
            : `pod limit ${memory.limitMiB} MiB, peak ${memory.peakMiB.toFixed(0)} MiB, OOM kills ${memory.oomKills}`),
      });
    }
  }
  return figures;
}
