import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import { freePort } from './free-port.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface KafkaBrokerOptions {
  /** Default partitions for auto-created topics. */
  numPartitions?: number;
  /** fast-data-dev auto-creates topics; tests that must not can turn it off. */
  autoCreateTopics?: boolean;
  /** JVM heap, e.g. "512m". */
  heap?: string;
  /** Extra server.properties entries; they win over the defaults. */
  overrides?: Record<string, string | number | boolean>;
  readyTimeoutMs?: number;
}

/**
 * Server settings for a one-node KRaft cluster on loopback. Replication factors are 1 because
 * there is one broker; the rebalance delay is 0 so consumer groups join at once in tests.
 */
function serverProperties(
  runDir: string,
  port: number,
  controllerPort: number,
  options: KafkaBrokerOptions,
): string {
  const properties: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(runDir, 'data'),
    'num.partitions': options.numPartitions ?? 1,
    'auto.create.topics.enable': options.autoCreateTopics ?? true,
    'offsets.topic.replication.factor': 1,
    // One partition for committed offsets: a local broker has few groups and starts faster.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    ...options.overrides,
  };
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

const LOG4J = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  // The request logger and state-change chatter drown the useful lines.
  'log4j.logger.kafka.request.logger=WARN',
  'log4j.logger.state.change.logger=WARN',
  'log4j.logger.kafka.controller=WARN',
].join('\n');

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding (Kafka's Uuid format). Kafka's own
 * generator never starts an id with '-', because kafka-storage would read it as an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * A real single-node Kafka (the cached Maven Central jars) on a free loopback port with its
 * own data directory. kill('SIGKILL') + restart() simulate a crash on the same ports and data.
 */
export class KafkaBroker {
  readonly host = '127.0.0.1';
  private process: ManagedProcess | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
    readonly controllerPort: number,
    private readonly options: KafkaBrokerOptions,
  ) {}

  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const runDir = makeRunDir('kafka');
    const [port, controllerPort] = [await freePort(), await freePort()];
    const broker = new KafkaBroker(runDir, port, controllerPort, options);
    mkdirSync(join(runDir, 'data'));
    writeFileSync(broker.configFile, serverProperties(runDir, port, controllerPort, options));
    writeFileSync(join(runDir, 'log4j.properties'), LOG4J);
    const { classpath, javaBinary } = kafkaDistribution();
    await runToCompletion({
      service: 'kafka-storage-format',
      command: javaBinary,
      args: [
        ...broker.jvmArgs(classpath, '128m'),
        'kafka.tools.StorageTool',
        'format',
        '-t',
        newClusterId(),
        '-c',
        broker.configFile,
      ],
      logFile: broker.logFile,
    });
    await broker.restart();
    return broker;
  }

  get bootstrapServers(): string {
    return `${this.host}:${this.port}`;
  }

  get configFile(): string {
    return join(this.runDir, 'server.properties');
  }

  get logFile(): string {
    return join(this.runDir, 'kafka.log');
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Starts the broker on the same ports and data (first start, or after kill/stop). */
  async restart(): Promise<void> {
    if (this.running) return;
    const { classpath, javaBinary } = kafkaDistribution();
    this.process = new ManagedProcess({
      service: 'kafka',
      command: javaBinary,
      args: [
        ...this.jvmArgs(classpath, this.options.heap ?? '512m'),
        'kafka.Kafka',
        this.configFile,
      ],
      logFile: this.logFile,
    });
    await waitUntilReady({
      process: this.process,
      probe: () => this.probe(),
      timeoutMs: this.options.readyTimeoutMs,
    });
  }

  /** Simulates a crash (SIGKILL) or an orderly shutdown (SIGTERM) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.process) return;
    this.process.signal(signal);
    await this.process.exited;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  private jvmArgs(classpath: string, heap: string): string[] {
    return [
      `-Xmx${heap}`,
      `-Xms${heap === '128m' ? '64m' : '256m'}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${join(this.runDir, 'log4j.properties')}`,
      '-cp',
      classpath,
    ];
  }

  /** Ready = the broker answers a metadata request and reports itself as a cluster member. */
  private async probe(): Promise<boolean> {
    const admin = new Kafka({
      clientId: 'local-infra-probe',
      brokers: [this.bootstrapServers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.some((broker) => broker.port === this.port);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
