import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type ITopicConfig, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import {
  kafkaPrincipalCatalog,
  kafkaSaslMechanism,
  kafkaSuperUsers,
  parseClaimSpec,
  type KafkaPrincipalId,
  type RealtimePlatformSpec,
} from '@realtime-platform/platform-contract';
import { generatePassword } from './credentials.js';
import { jaas, KAFKA_LOG4J as LOG4J, type KafkaCredentials } from './kafka-server-settings.js';
import { freePort } from './free-port.js';
import { createContractAcls, withKafkaAdmin, type KafkaAdmin } from './kafka-admin.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import type { SchemaRegistryUser } from './schema-registry.js';
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
  /**
   * The claim whose Kafka principals and ACLs the broker gets (the contract's `planKafkaAccess`):
   * its declared topics widen the `app` principal's grants. Defaults to a claim with no options.
   */
  spec?: RealtimePlatformSpec;
  /**
   * False: the users exist but no ACL does (so nobody but the super user may do anything), for a
   * test of a provisioning step that creates them. Default true.
   */
  createAcls?: boolean;
  /**
   * Also listen on `INTERNAL` (SASL PLAIN, the provisioning principal only, on `internalPort`),
   * as the chart's broker does for SCRAM bootstrapping and inter-broker traffic.
   */
  internalListener?: boolean;
  /**
   * Extra JVM options of the broker process (not of the storage formatter), e.g. the chart's
   * loopback JMX flags for the JMX exporter: `-Dcom.sun.management.jmxremote.port=...`.
   */
  jvmOptions?: readonly string[];
}

/**
 * Server settings for a one-node KRaft cluster on loopback. Replication factors are 1 because
 * there is one broker; the rebalance delay is 0 so consumer groups join at once in tests.
 *
 * Security as in production: one SASL_PLAINTEXT listener (SCRAM-SHA-512, users bootstrapped by
 * `kafka-storage format --add-scram`), the KRaft StandardAuthorizer with no access unless an ACL
 * grants it, and only the provisioning principal in `super.users`. The controller listener uses
 * SASL PLAIN (KRaft controllers cannot read SCRAM users) with that one login, so nothing reaches
 * the controller as an anonymous super user.
 */
function serverProperties(
  runDir: string,
  port: number,
  controllerPort: number,
  admin: KafkaCredentials,
  superUsers: string,
  options: KafkaBrokerOptions,
  internalPort: number | undefined,
): string {
  const plainAdmin = jaas(
    'plain.PlainLoginModule',
    admin,
    ` user_${admin.username}="${admin.password}"`,
  );
  const internal: Record<string, string> =
    internalPort === undefined
      ? {}
      : {
          listeners: `SASL_PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort},INTERNAL://127.0.0.1:${internalPort}`,
          // A client only finds the broker on the listener it bootstrapped from if it is advertised.
          'advertised.listeners': `SASL_PLAINTEXT://127.0.0.1:${port},INTERNAL://127.0.0.1:${internalPort}`,
          'listener.security.protocol.map':
            'SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT',
          'listener.name.internal.sasl.enabled.mechanisms': 'PLAIN',
          'listener.name.internal.plain.sasl.jaas.config': plainAdmin,
        };
  const properties: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `SASL_PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `SASL_PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    'inter.broker.listener.name': 'SASL_PLAINTEXT',
    'sasl.enabled.mechanisms': kafkaSaslMechanism,
    'sasl.mechanism.inter.broker.protocol': kafkaSaslMechanism,
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': jaas(
      'scram.ScramLoginModule',
      admin,
    ),
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': jaas(
      'plain.PlainLoginModule',
      admin,
      ` user_${admin.username}="${admin.password}"`,
    ),
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': superUsers,
    'allow.everyone.if.no.acl.found': false,
    'log.dirs': join(runDir, 'data'),
    'num.partitions': options.numPartitions ?? 1,
    'auto.create.topics.enable': options.autoCreateTopics ?? true,
    'offsets.topic.replication.factor': 1,
    // One partition for committed offsets: a local broker has few groups and starts faster.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    ...internal,
    ...options.overrides,
  };
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

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
 * own data directory, with SASL/SCRAM and ACLs on: every principal of the platform contract gets a
 * generated password and exactly the ACLs `planKafkaAccess` gives it. kill('SIGKILL') + restart()
 * simulate a crash on the same ports, data, users and ACLs.
 */
export class KafkaBroker {
  readonly host = '127.0.0.1';
  private process: ManagedProcess | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
    readonly controllerPort: number,
    private readonly options: KafkaBrokerOptions,
    /** Every principal's login, generated for this broker. */
    private readonly logins: ReadonlyMap<KafkaPrincipalId, KafkaCredentials>,
    /** With `internalListener`: the PLAIN listener of the provisioning principal. */
    readonly internalPort: number | undefined,
  ) {}

  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const runDir = makeRunDir('kafka');
    const [port, controllerPort] = [await freePort(), await freePort()];
    const logins = new Map(
      kafkaPrincipalCatalog.map((principal) => [
        principal.id,
        { username: principal.username, password: generatePassword() },
      ]),
    );
    const internalPort = options.internalListener === true ? await freePort() : undefined;
    const broker = new KafkaBroker(runDir, port, controllerPort, options, logins, internalPort);
    mkdirSync(join(runDir, 'data'));
    writeFileSync(
      broker.configFile,
      serverProperties(
        runDir,
        port,
        controllerPort,
        broker.credentials('admin'),
        kafkaSuperUsers(broker.spec),
        options,
        internalPort,
      ),
      { mode: 0o600 },
    );
    writeFileSync(join(runDir, 'log4j.properties'), LOG4J);
    const { classpath, javaBinary } = kafkaDistribution();
    // Every principal's SCRAM credential goes into the metadata log before the first start.
    const scramUsers = [...logins.values()].map(
      (login) => `${kafkaSaslMechanism}=[name=${login.username},password=${login.password}]`,
    );
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
        ...scramUsers.flatMap((user) => ['--add-scram', user]),
      ],
      logFile: broker.logFile,
      redact: scramUsers,
    });
    await broker.restart();
    if (options.createAcls ?? true) await broker.createAcls();
    return broker;
  }

  /** The claim whose principals and ACLs this broker has. */
  get spec(): RealtimePlatformSpec {
    return this.options.spec ?? parseClaimSpec({ name: 'local' });
  }

  get bootstrapServers(): string {
    return `${this.host}:${this.port}`;
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

  /** `brokers` + `sasl` of a kafkajs client config: `new Kafka({ clientId, ...kafka.kafkajsConfig() })`. */
  kafkajsConfig(id: KafkaPrincipalId = 'admin'): Pick<KafkaConfig, 'brokers' | 'sasl' | 'ssl'> {
    return { brokers: [this.bootstrapServers], sasl: this.sasl(id), ssl: false };
  }

  /**
   * The Kafka part of a kafka secret for a principal (`{name}-kafka-secret` is `app`'s): the keys
   * the SDK connects with. The registry and Connect URLs are the caller's (they are other servers).
   */
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
   * The Schema Registry users of the platform's principals, with their Kafka passwords: the SDK
   * logs in to the registry with its kafka secret's user name and password (as Confluent clients
   * do with `basic.auth.credentials.source=SASL_INHERIT`). Principals without registry access are left out.
   */
  registryUsers(): SchemaRegistryUser[] {
    return kafkaPrincipalCatalog.flatMap((principal): SchemaRegistryUser[] => {
      const { schemaRegistry } = principal;
      if (schemaRegistry === 'none') return [];
      const access = principal.superUser ? 'admin' : schemaRegistry;
      return [{ ...this.credentials(principal.id), access }];
    });
  }

  /** The realtime SDK bus's `security` option for a principal. */
  busSecurity(id: KafkaPrincipalId = 'admin') {
    const { username, password } = this.credentials(id);
    return {
      protocol: 'SASL_PLAINTEXT',
      mechanism: kafkaSaslMechanism,
      username,
      password,
    } as const;
  }

  /** Java client properties for a principal (perf tools, Kafka Streams). */
  javaClientProperties(id: KafkaPrincipalId = 'admin'): Readonly<Record<string, string>> {
    return {
      'bootstrap.servers': this.bootstrapServers,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': kafkaSaslMechanism,
      'sasl.jaas.config': jaas('scram.ScramLoginModule', this.credentials(id)),
    };
  }

  /**
   * `javaClientProperties(id)` as a file (0600) in the run directory, for Java tools'
   * `--producer.config`/`--consumer.config`/`--command-config`: the password stays off the command line.
   */
  clientPropertiesFile(id: KafkaPrincipalId = 'admin'): string {
    const file = join(this.runDir, `client-${id}.properties`);
    const lines = Object.entries(this.javaClientProperties(id)).map(([k, v]) => `${k}=${v}`);
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    return file;
  }

  /** Creates topics as the provisioning principal (what the platform's provisioning does). */
  async createTopics(topics: ITopicConfig[]): Promise<void> {
    await this.withAdmin((admin) => admin.createTopics({ waitForLeaders: true, topics }));
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
        ...(this.options.jvmOptions ?? []),
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
    await this.process?.kill(signal);
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

  /** The contract's ACLs, created once by the super user; they live in the metadata log. */
  private async createAcls(): Promise<void> {
    await createContractAcls(this.spec, this.kafkajsConfig('admin'));
  }

  private async withAdmin<T>(work: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
    return withKafkaAdmin(this.kafkajsConfig('admin'), work);
  }

  /** Ready = the broker authenticates the provisioning principal and reports itself a member. */
  private async probe(): Promise<boolean> {
    const admin = new Kafka({
      clientId: 'local-infra-probe',
      ...this.kafkajsConfig('admin'),
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
