import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import {
  KafkaBroker,
  NodeService,
  SchemaRegistry,
  localPlatformEnv,
} from '@realtime-platform/local-infra';
import {
  defaultTopicPartitions,
  deviceDataTopic,
  dlqTopicName,
  runtimeEnv,
  vitalTopics,
} from '@realtime-platform/platform-contract';
import type { BenchFigure, BenchPart, BenchPartResult } from '../bench-part.js';
import { KafkaStreamsSplitter, buildKafkaStreamsSplitter } from '../kafka-streams.splitter.js';
import { processStats, type ProcessStats } from '../process.stats.js';
import { fleetRecords } from '../reading.generator.js';
import { awaitDrain, endOffsetTotal, timeAtLevel, type DrainTimeline } from '../topic.progress.js';

const readingsCount = Number(process.env.BENCH_SPLITTER_READINGS ?? 200_000);
const rounds = Number(process.env.BENCH_SPLITTER_ROUNDS ?? 1);
const kafkaStreamsThreads = Number(process.env.BENCH_KS_THREADS ?? 1);
/**
 * Stream-processor replicas to measure, each count in its own run: 1 (one process, one thread)
 * and as many as the machine has cores (the service scales by consumer group).
 */
const replicaCounts = (process.env.BENCH_SP_REPLICAS ?? `1,${availableParallelism()}`)
  .split(',')
  .map(Number)
  .filter((count, index, all) => count > 0 && all.indexOf(count) === index);
/** When set, the stream-processor writes a V8 CPU profile (.cpuprofile) there at exit. */
const cpuProfileDir = process.env.BENCH_CPU_PROF_DIR;
/** The Kafka Streams app writes `ks.<topic>`, so both splitters' outputs never mix. */
const ksPrefix = 'ks.';
/** Each reading gives one record in each of the four vital topics. */
const outputsPerReading = vitalTopics.length;

interface RunFigures {
  /** `stream-processor ×<replicas>` or `kafka-streams`. */
  readonly contender: string;
  readonly round: number;
  /** Readings/s from the first output record to the last. */
  readonly readingsPerSecond: number;
  /** Readings/s between 10 % and 90 % of the outputs (start-up and tail left out). */
  readonly steadyReadingsPerSecond: number;
  /** Seconds from process start to the last output record (start-up included). */
  readonly wallSeconds: number;
  /** CPU seconds the process used per 100k readings (start-up included). */
  readonly cpuSecondsPer100k: number;
  readonly rssMiB: number;
}

function figuresOf(
  contender: string,
  round: number,
  timeline: DrainTimeline,
  stats: ProcessStats,
): RunFigures {
  const total = readingsCount * outputsPerReading;
  const seconds = (from: number, to: number): number => (to - from) / 1000;
  const t10 = timeAtLevel(timeline.samples, total * 0.1);
  const t90 = timeAtLevel(timeline.samples, total * 0.9);
  return {
    contender,
    round,
    readingsPerSecond: readingsCount / seconds(timeline.firstAt, timeline.doneAt),
    steadyReadingsPerSecond: (readingsCount * 0.8) / seconds(t10, t90),
    wallSeconds: seconds(timeline.startedAt, timeline.doneAt),
    cpuSecondsPer100k: (stats.cpuSeconds / readingsCount) * 100_000,
    rssMiB: stats.rssMiB,
  };
}

/** As the provisioning principal (a super user): set-up, preload and the end-offset readings. */
const rawKafka = (kafka: KafkaBroker): Kafka =>
  new Kafka({ clientId: 'bench-splitter', ...kafka.kafkajsConfig(), logLevel: logLevel.NOTHING });

async function createTopics(admin: Admin): Promise<void> {
  const vital = (prefix: string) =>
    vitalTopics.map((topic) => ({
      topic: `${prefix}${topic}`,
      numPartitions: defaultTopicPartitions,
    }));
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: deviceDataTopic, numPartitions: defaultTopicPartitions },
      { topic: dlqTopicName(deviceDataTopic), numPartitions: 1 },
      { topic: dlqTopicName(`${ksPrefix}${deviceDataTopic}`), numPartitions: 1 },
      ...vital(''),
      ...vital(ksPrefix),
    ],
  });
}

async function preload(kafka: KafkaBroker, log: (line: string) => void): Promise<void> {
  // Idempotent: a retried request must not write readings twice (the counts below rely on it).
  const producer = rawKafka(kafka).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = performance.now();
  try {
    const records = fleetRecords(readingsCount);
    for (let start = 0; start < records.length; start += 10_000) {
      await producer.send({
        topic: deviceDataTopic,
        acks: -1,
        messages: records.slice(start, start + 10_000),
      });
    }
  } finally {
    await producer.disconnect();
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `preloaded ${readingsCount} readings into ${deviceDataTopic} in ${seconds.toFixed(1)} s (${Math.round(readingsCount / seconds)}/s)`,
  );
}

type Stoppable = { pid: number | undefined; running: boolean; stop(): Promise<unknown> };

/** One replica of the built service, as a pod runs it (with --cpu-prof when profiling). */
function startReplica(entry: string, env: Record<string, string>): Promise<Stoppable> {
  return NodeService.start({
    name: 'stream-processor',
    entry,
    waitFor: 'none',
    env,
    ...(cpuProfileDir === undefined
      ? {}
      : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] }),
  });
}

/** `replicas` processes of the stream-processor in one consumer group (how it scales). */
async function runStreamProcessor(
  kafka: KafkaBroker,
  registry: SchemaRegistry,
  admin: Admin,
  round: number,
  replicas: number,
  kafkaClient: string,
): Promise<RunFigures> {
  const topics = [...vitalTopics];
  const baseline = await endOffsetTotal(admin, topics);
  const entry = createRequire(import.meta.url).resolve('@realtime-platform/stream-processor');
  // Within the stream processor principal's group prefix.
  const group = `stream-processor-bench-${randomUUID().slice(0, 8)}`;
  const services: Stoppable[] = [];
  try {
    for (let replica = 0; replica < replicas; replica += 1) {
      services.push(
        await startReplica(entry, {
          ...localPlatformEnv({ kafka, schemaRegistry: registry }, { kafkaPrincipal: 'stream' }),
          [runtimeEnv.serviceName]: 'stream-processor',
          [runtimeEnv.topics]: deviceDataTopic,
          [runtimeEnv.consumerMode]: 'shared',
          [runtimeEnv.consumerGroup]: group,
          [runtimeEnv.instanceId]: `stream-processor-${replica}`,
          [runtimeEnv.logLevel]: 'warn',
          [runtimeEnv.kafkaClient]: kafkaClient,
        }),
      );
    }
    const timeline = await awaitDrain({
      admin,
      topics,
      baseline,
      expected: readingsCount * outputsPerReading,
      alive: () => services.every((service) => service.running),
    });
    const stats = services.map((service) => processStats(service.pid as number));
    return figuresOf(`stream-processor[${kafkaClient}] ×${replicas}`, round, timeline, {
      rssMiB: stats.reduce((sum, stat) => sum + stat.rssMiB, 0),
      cpuSeconds: stats.reduce((sum, stat) => sum + stat.cpuSeconds, 0),
    });
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
}

async function runKafkaStreams(
  dir: string,
  kafka: KafkaBroker,
  registry: SchemaRegistry,
  admin: Admin,
  round: number,
): Promise<RunFigures> {
  const topics = vitalTopics.map((topic) => `${ksPrefix}${topic}`);
  const baseline = await endOffsetTotal(admin, topics);
  const app = KafkaStreamsSplitter.start({
    dir,
    bootstrapServers: kafka.bootstrapServers,
    // Its own prefixed topics and group: the provisioning principal (the baseline has no ACLs of its own).
    clientProperties: kafka.javaClientProperties('admin'),
    registryLogin: registry.credentials(),
    registryUrl: registry.url,
    applicationId: `bench-kafka-streams-${randomUUID().slice(0, 8)}`,
    input: deviceDataTopic,
    outputPrefix: ksPrefix,
    threads: kafkaStreamsThreads,
  });
  try {
    const timeline = await awaitDrain({
      admin,
      topics,
      baseline,
      expected: readingsCount * outputsPerReading,
      alive: () => app.process.running,
    });
    return figuresOf('kafka-streams', round, timeline, processStats(app.pid as number));
  } catch (error) {
    throw new Error(`${(error as Error).message} (log: ${app.logFile})`, { cause: error });
  } finally {
    await app.stop();
  }
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * The splitter against the Kafka Streams baseline: one fresh broker and registry, N readings
 * preloaded into device_data, then each splitter in turn drains the same input (a consumer group
 * of its own, from the beginning) into its own output topics. Records/s are read from the output
 * topics' end offsets, so both are measured the same way, outside the processes.
 */
export const splitterPart = (kafkaClients: readonly string[]): BenchPart => ({
  name: 'splitter',
  description: `built-in stream-processor (MessageBus ${kafkaClients.join(', ')}) vs a Kafka Streams app doing the same split (same broker, same input)`,
  async run(log): Promise<BenchPartResult> {
    log('building the Kafka Streams baseline (cached)…');
    const ksDir = buildKafkaStreamsSplitter();
    log('starting Kafka and the Schema Registry…');
    const kafka = await KafkaBroker.start({ autoCreateTopics: false, heap: '1g' });
    const registry = await SchemaRegistry.start({ users: kafka.registryUsers() });
    const admin = rawKafka(kafka).admin();
    const runs: RunFigures[] = [];
    try {
      await admin.connect();
      await createTopics(admin);
      await preload(kafka, log);
      const written = await endOffsetTotal(admin, [deviceDataTopic]);
      if (written !== readingsCount) {
        throw new Error(`${deviceDataTopic} holds ${written} records, ${readingsCount} were sent`);
      }
      const report = (run: RunFigures): void => {
        log(
          `round ${run.round} ${run.contender}: ${Math.round(run.readingsPerSecond)} readings/s (steady ${Math.round(run.steadyReadingsPerSecond)}), CPU ${run.cpuSecondsPer100k.toFixed(1)} s/100k, RSS ${run.rssMiB.toFixed(0)} MiB`,
        );
        runs.push(run);
      };
      for (let round = 1; round <= rounds; round += 1) {
        for (const kafkaClient of kafkaClients) {
          for (const replicas of replicaCounts) {
            report(await runStreamProcessor(kafka, registry, admin, round, replicas, kafkaClient));
          }
        }
        report(await runKafkaStreams(ksDir, kafka, registry, admin, round));
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
      await registry.stop();
      await kafka.stop();
    }
    const of = (contender: string) => {
      const mine = runs.filter((run) => run.contender === contender);
      return {
        rate: mean(mine.map((run) => run.readingsPerSecond)),
        steady: mean(mine.map((run) => run.steadyReadingsPerSecond)),
        cpu: mean(mine.map((run) => run.cpuSecondsPer100k)),
        rss: mean(mine.map((run) => run.rssMiB)),
      };
    };
    const ks = of('kafka-streams');
    const processors = kafkaClients.flatMap((client) =>
      replicaCounts.map((count) => ({
        client,
        count,
        name: `stream-processor[${client}] ×${count}`,
      })),
    );
    const contenders = [...processors.map(({ name }) => name), 'kafka-streams'];
    const figures: BenchFigure[] = [];
    for (const contender of contenders) {
      const { rate, steady } = of(contender);
      figures.push({ name: `${contender} throughput`, value: rate, unit: 'readings/s' });
      figures.push({ name: `${contender} steady (10–90 %)`, value: steady, unit: 'readings/s' });
    }
    for (const { name, count } of processors) {
      const sp = of(name);
      figures.push({
        name: `ratio ${name} / kafka-streams`,
        value: sp.rate / ks.rate,
        unit: '×',
        note: count === 1 ? 'target ≥ 1.0' : `${count} replicas, one group`,
      });
      figures.push({
        name: `steady ratio ${name} / kafka-streams`,
        value: sp.steady / ks.steady,
        unit: '×',
      });
    }
    for (const contender of contenders) {
      figures.push({
        name: `${contender} CPU`,
        value: of(contender).cpu,
        unit: 'CPU s / 100k readings',
      });
    }
    for (const contender of contenders) {
      figures.push({ name: `${contender} RSS at end`, value: of(contender).rss, unit: 'MiB' });
    }
    return {
      figures,
      details: {
        readings: readingsCount,
        recordsPerReading: outputsPerReading,
        rounds,
        kafkaStreamsThreads,
        streamProcessorReplicas: replicaCounts,
        kafkaClients,
        partitions: defaultTopicPartitions,
        valueFormat: 'avro',
        runs,
      },
    };
  },
});
