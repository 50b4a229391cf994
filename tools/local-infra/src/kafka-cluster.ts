import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type ITopicConfig, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import {
  kafkaControllerCount,
  kafkaControllerNodeIdBase,
  kafkaPrincipalCatalog,
  kafkaReplicationSettings,
  kafkaTopicReplicationFactor,
  kafkaSaslMechanism,
  kafkaSuperUsers,
  parseClaimSpec,
  type KafkaPrincipalId,
  type RealtimePlatformSpec,
} from '@realtime-platform/platform-contract';
import { generatePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { createContractAcls, withKafkaAdmin, type KafkaAdmin } from './kafka-admin.js';
import { newClusterId } from './kafka-broker.js';
import { jaas, KAFKA_LOG4J, type KafkaCredentials } from './kafka-server-settings.js';
import { localInfraErrors } from './local-infra-errors.js';
import { logTail } from './log-tail.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface KafkaClusterOptions {
  /** JVM heap of each broker (default "256m"). */
  brokerHeap?: string;
  /** JVM heap of each KRaft controller (default "128m"). */
  controllerHeap?: string;
  /** Extra broker server.properties entries; they win over the defaults. */
  brokerOverrides?: Record<string, string | number | boolean>;
  /** The claim whose principals and ACLs the cluster gets (see KafkaBrokerOptions.spec). */
  spec?: RealtimePlatformSpec;
  readyTimeoutMs?: number;
}

/** The three brokers of the platform's production Kafka (the contract's `kafkaBrokers: 3`). */
const BROKERS = 3;

type NodeRole = 'broker' | 'controller';

/** One KRaft node of the cluster: its process, ports and files. */
class KafkaClusterNode {
  process: ManagedProcess | undefined;

  constructor(
    readonly role: NodeRole,
    readonly nodeId: number,
    readonly dir: string,
    /** Brokers: the client listener (SCRAM). Controllers: the controller listener (PLAIN). */
    readonly port: number,
    /** Brokers only: the inter-broker listener (SCRAM), as the chart's `REPLICATION`. */
    readonly replicationPort: number | undefined,
  ) {}

  get configFile(): string {
    return join(this.dir, 'server.properties');
  }

  get logFile(): string {
    return join(this.dir, `${this.role}-${this.nodeId}.log`);
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }
}

/**
 * A real Kafka cluster on loopback with the settings of the chart's production Kafka
 * (`kafkaBrokers: 3`): three brokers and a KRaft controller quorum of three nodes of its own, the
 * contract's replication settings (replication factor 3, `min.insync.replicas=2`, offsets and
 * transaction log with three copies), SASL/SCRAM-SHA-512 on the client and inter-broker listeners,
 * SASL PLAIN (the provisioning principal only) on the controllers', the StandardAuthorizer with the
 * contract's ACLs. `kill(broker)` + `restart(broker)` crash and restart one broker on the same
 * ports and data.
 */
export class KafkaCluster {
  readonly host = '127.0.0.1';

  private constructor(
    readonly runDir: string,
    private readonly brokers: readonly KafkaClusterNode[],
    private readonly controllers: readonly KafkaClusterNode[],
    private readonly options: KafkaClusterOptions,
    private readonly logins: ReadonlyMap<KafkaPrincipalId, KafkaCredentials>,
  ) {}

  static async start(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
    const runDir = makeRunDir('kafka-cluster');
    const logins = new Map(
      kafkaPrincipalCatalog.map((principal) => [
        principal.id,
        { username: principal.username, password: generatePassword() },
      ]),
    );
    const node = async (role: NodeRole, nodeId: number) => {
      const dir = join(runDir, `${role}-${nodeId}`);
      mkdirSync(join(dir, 'data'), { recursive: true });
      return new KafkaClusterNode(
        role,
        nodeId,
        dir,
        await freePort(),
        role === 'broker' ? await freePort() : undefined,
      );
    };
    const controllers: KafkaClusterNode[] = [];
    for (let i = 0; i < kafkaControllerCount; i += 1) {
      controllers.push(await node('controller', kafkaControllerNodeIdBase + i));
    }
    const brokers: KafkaClusterNode[] = [];
    for (let i = 0; i < BROKERS; i += 1) brokers.push(await node('broker', i));
    const cluster = new KafkaCluster(runDir, brokers, controllers, options, logins);
    writeFileSync(join(runDir, 'log4j.properties'), KAFKA_LOG4J);
    for (const each of [...controllers, ...brokers]) {
      writeFileSync(each.configFile, cluster.serverProperties(each), { mode: 0o600 });
    }
    // Every node gets the same cluster id; the SCRAM credentials go into the metadata log the
    // controllers bootstrap, before the first start.
    const clusterId = newClusterId();
    const scramUsers = [...logins.values()].map(
      (login) => `${kafkaSaslMechanism}=[name=${login.username},password=${login.password}]`,
    );
    const { classpath, javaBinary } = kafkaDistribution();
    for (const each of [...controllers, ...brokers]) {
      await runToCompletion({
        service: 'kafka-storage-format',
        command: javaBinary,
        args: [
          ...cluster.jvmArgs(classpath, '128m'),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          each.configFile,
          ...scramUsers.flatMap((user) => ['--add-scram', user]),
        ],
        logFile: each.logFile,
        redact: scramUsers,
      });
    }
    try {
      // A controller alone never becomes ready (no quorum): start them all, then wait.
      for (const each of controllers) cluster.spawn(each);
      for (const each of brokers) cluster.spawn(each);
      await Promise.all(brokers.map((each) => cluster.waitForBroker(each)));
      await cluster.createAcls();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** The claim whose principals and ACLs this cluster has. */
  get spec(): RealtimePlatformSpec {
    return this.options.spec ?? parseClaimSpec({ name: 'local', kafkaBrokers: BROKERS });
  }

  /** Every broker's client listener, as the kafka secret lists them. */
  get bootstrapServers(): string {
    return this.brokers.map((broker) => `${this.host}:${broker.port}`).join(',');
  }

  /** The brokers' client ports, by broker index (= node id). */
  get brokerPorts(): readonly number[] {
    return this.brokers.map((broker) => broker.port);
  }

  /** The first broker's log (what a failed suite prints); every node logs under runDir. */
  get logFile(): string {
    return this.brokers[0]!.logFile;
  }

  /** The tail of every node's log, for a failed suite. */
  logTails(lines = 40): string {
    return [...this.controllers, ...this.brokers]
      .map(
        (each) =>
          `--- ${each.role} ${each.nodeId} (${each.logFile})\n${logTail(each.logFile, lines)}`,
      )
      .join('\n');
  }

  /** The SASL login of a contract principal (`admin`, the provisioning super user, by default). */
  credentials(id: KafkaPrincipalId = 'admin'): KafkaCredentials {
    const login = this.logins.get(id);
    if (login === undefined) throw new TypeError(`unknown Kafka principal ${id}`);
    return login;
  }

  /** kafkajs `sasl` option for a principal. */
  sasl(id: KafkaPrincipalId = 'admin'): SASLOptions {
    const { username, password } = this.credentials(id);
    return { mechanism: 'scram-sha-512', username, password };
  }

  /** `brokers` + `sasl` of a kafkajs client config, listing every broker. */
  kafkajsConfig(id: KafkaPrincipalId = 'admin'): Pick<KafkaConfig, 'brokers' | 'sasl' | 'ssl'> {
    return { brokers: this.bootstrapServers.split(','), sasl: this.sasl(id), ssl: false };
  }

  /** The Kafka part of a kafka secret for a principal, bootstrap listing every broker. */
  kafkaSecret(id: KafkaPrincipalId = 'app'): Readonly<Record<string, string>> {
    const { username, password } = this.credentials(id);
    return {
      KAFKA_BOOTSTRAP_SERVERS: this.bootstrapServers,
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: kafkaSaslMechanism,
      KAFKA_USERNAME: username,
      KAFKA_PASSWORD: password,
    };
  }

  /**
   * Creates topics as the provisioning principal, with the platform's replication factor unless
   * given (as the chart's topic Job: kafkajs asks for one copy when it is left out, whatever the
   * brokers' default), and waits until every running broker serves their metadata.
   */
  async createTopics(topics: ITopicConfig[]): Promise<void> {
    const replicationFactor = kafkaTopicReplicationFactor(BROKERS);
    await this.withAdmin((admin) =>
      // Not kafkajs's waitForLeaders: it asks one broker and fails on UNKNOWN_TOPIC_OR_PARTITION
      // while the others' metadata catches up; every broker is asked below.
      admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((topic) => ({ replicationFactor, ...topic })),
      }),
    );
    const names = topics.map((topic) => topic.topic);
    const deadline = Date.now() + 30_000;
    for (const broker of this.brokers.filter((each) => each.running)) {
      while (!(await this.servesTopics(broker, names))) {
        if (Date.now() > deadline) {
          throw new Error(`broker ${broker.nodeId} does not serve ${names.join(', ')} after 30 s`);
        }
        await sleep(200);
      }
    }
  }

  /** Whether this broker's metadata has every partition of these topics with a leader. */
  private async servesTopics(broker: KafkaClusterNode, topics: string[]): Promise<boolean> {
    const admin = new Kafka({
      clientId: 'local-infra-metadata',
      brokers: [`${this.host}:${broker.port}`],
      sasl: this.sasl('admin'),
      ssl: false,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const metadata = await admin.fetchTopicMetadata({ topics });
      return metadata.topics.every((topic) =>
        topic.partitions.every((partition) => partition.leader >= 0),
      );
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Whether broker `index` runs. */
  running(index: number): boolean {
    return this.broker(index).running;
  }

  /** Crashes broker `index` (SIGKILL by default) and waits for its exit. */
  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.broker(index).process?.kill(signal);
  }

  /** Starts broker `index` again on the same ports and data, and waits until it serves. */
  async restart(index: number): Promise<void> {
    const broker = this.broker(index);
    if (broker.running) return;
    this.spawn(broker);
    await this.waitForBroker(broker);
  }

  /** Stops the brokers, then the controllers (a broker shuts down cleanly only with its quorum). */
  async stop(): Promise<void> {
    await Promise.all(this.brokers.map((each) => each.process?.stop()));
    await Promise.all(this.controllers.map((each) => each.process?.stop()));
  }

  private broker(index: number): KafkaClusterNode {
    const broker = this.brokers[index];
    if (broker === undefined) throw new TypeError(`no broker ${index} (0..${BROKERS - 1})`);
    return broker;
  }

  private controllerVoters(): string {
    return this.controllers.map((each) => `${each.nodeId}@${this.host}:${each.port}`).join(',');
  }

  private serverProperties(node: KafkaClusterNode): string {
    const admin = this.credentials('admin');
    const plainAdmin = jaas(
      'plain.PlainLoginModule',
      admin,
      ` user_${admin.username}="${admin.password}"`,
    );
    const common: Record<string, string | number | boolean> = {
      'node.id': node.nodeId,
      'controller.quorum.voters': this.controllerVoters(),
      'controller.listener.names': 'CONTROLLER',
      'sasl.mechanism.controller.protocol': 'PLAIN',
      'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.controller.plain.sasl.jaas.config': plainAdmin,
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': kafkaSuperUsers(this.spec),
      'allow.everyone.if.no.acl.found': false,
      'log.dirs': join(node.dir, 'data'),
    };
    const properties: Record<string, string | number | boolean> =
      node.role === 'controller'
        ? {
            ...common,
            'process.roles': 'controller',
            listeners: `CONTROLLER://${this.host}:${node.port}`,
            'listener.security.protocol.map': 'CONTROLLER:SASL_PLAINTEXT',
          }
        : {
            ...common,
            'process.roles': 'broker',
            listeners: `SASL_PLAINTEXT://${this.host}:${node.port},REPLICATION://${this.host}:${node.replicationPort}`,
            'advertised.listeners': `SASL_PLAINTEXT://${this.host}:${node.port},REPLICATION://${this.host}:${node.replicationPort}`,
            'listener.security.protocol.map':
              'SASL_PLAINTEXT:SASL_PLAINTEXT,REPLICATION:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
            'inter.broker.listener.name': 'REPLICATION',
            'sasl.enabled.mechanisms': kafkaSaslMechanism,
            'sasl.mechanism.inter.broker.protocol': kafkaSaslMechanism,
            'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': jaas(
              'scram.ScramLoginModule',
              admin,
            ),
            'listener.name.replication.scram-sha-512.sasl.jaas.config': jaas(
              'scram.ScramLoginModule',
              admin,
            ),
            // The platform's durability settings for three brokers (the contract's, as the chart's).
            ...kafkaReplicationSettings(BROKERS),
            'auto.create.topics.enable': false,
            'num.partitions': 3,
            'group.initial.rebalance.delay.ms': 0,
            ...this.options.brokerOverrides,
          };
    return `${Object.entries(properties)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`;
  }

  private spawn(node: KafkaClusterNode): void {
    const { classpath, javaBinary } = kafkaDistribution();
    const heap =
      node.role === 'broker'
        ? (this.options.brokerHeap ?? '256m')
        : (this.options.controllerHeap ?? '128m');
    node.process = new ManagedProcess({
      service: `kafka-${node.role}-${node.nodeId}`,
      command: javaBinary,
      args: [...this.jvmArgs(classpath, heap), 'kafka.Kafka', node.configFile],
      logFile: node.logFile,
    });
  }

  private jvmArgs(classpath: string, heap: string): string[] {
    return [
      `-Xmx${heap}`,
      `-Xms${heap === '128m' ? '64m' : '128m'}`,
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${join(this.runDir, 'log4j.properties')}`,
      '-cp',
      classpath,
    ];
  }

  /** Ready = the broker authenticates the provisioning principal and the cluster lists it. */
  private async waitForBroker(broker: KafkaClusterNode): Promise<void> {
    const process = broker.process;
    if (!process) throw localInfraErrors.NOT_STARTED({ service: `kafka-broker-${broker.nodeId}` });
    await waitUntilReady({
      process,
      timeoutMs: this.options.readyTimeoutMs ?? 120_000,
      probe: async () => {
        const admin = new Kafka({
          clientId: 'local-infra-probe',
          brokers: [`${this.host}:${broker.port}`],
          sasl: this.sasl('admin'),
          ssl: false,
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          connectionTimeout: 1000,
        }).admin();
        try {
          await admin.connect();
          const cluster = await admin.describeCluster();
          return cluster.brokers.some((each) => each.port === broker.port);
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      },
    });
  }

  private async createAcls(): Promise<void> {
    await createContractAcls(this.spec, this.kafkajsConfig('admin'));
  }

  private async withAdmin<T>(work: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
    return withKafkaAdmin(this.kafkajsConfig('admin'), work);
  }
}
