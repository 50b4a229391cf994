import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { findExecutable } from '@realtime-platform/toolchain';
import {
  EmbeddedMqttBroker,
  KafkaBroker,
  localPlatformEnv,
  MosquittoBroker,
  type MqttServer,
  NodeService,
  PostgresServer,
  SchemaRegistry,
} from '@realtime-platform/local-infra';
import {
  parseClaimSpec,
  planTopics,
  type MqttRole,
  type PlannedTopic,
} from '@realtime-platform/platform-contract';
import { mintDashboardToken } from './dashboard-token.js';
import { platformServices, type PlatformServiceName } from './platform-services.js';

export interface LocalPlatformOptions {
  /** Platform name (secret names, service names in logs). */
  readonly name: string;
  /** Run the platform services (default true), or only the ones named. */
  readonly services?: boolean | readonly PlatformServiceName[];
  /** Simulated devices publishing over MQTT; `false` for none. */
  readonly simulator?: { readonly devices: number; readonly rate: number } | false;
  /** `auto` (default): Mosquitto when installed, else the embedded aedes broker, saying so. */
  readonly mqttBroker?: 'auto' | 'mosquitto' | 'embedded';
}

/** Reports each start-up step (the CLI's spinner; tests pass a silent one). */
export type StepRunner = <T>(label: string, work: () => Promise<T>) => Promise<T>;

const runSilently: StepRunner = (_label, work) => work();

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The whole platform on loopback: real Kafka, Mosquitto, PostgreSQL and Schema Registry, the
 * contract's topics, and the platform's services as their own processes configured only by the
 * five secrets and RTP_* variables, exactly as in a cluster. `rtp dev` and the e2e tests use it.
 */
export class LocalPlatform {
  readonly services = new Map<PlatformServiceName, NodeService>();
  private readonly started: Stoppable[] = [];

  private constructor(
    readonly name: string,
    readonly kafka: KafkaBroker,
    readonly mqtt: MqttServer,
    readonly postgres: PostgresServer,
    readonly schemaRegistry: SchemaRegistry,
    readonly topics: readonly PlannedTopic[],
    readonly wsJwtSecret: string,
  ) {}

  static async start(
    options: LocalPlatformOptions,
    step: StepRunner = runSilently,
  ): Promise<LocalPlatform> {
    const spec = parseClaimSpec({ name: options.name });
    const started: Stoppable[] = [];
    try {
      const kafka = await step('Kafka 3.9 (KRaft)', () => KafkaBroker.start());
      started.push(kafka);
      const useMosquitto =
        (options.mqttBroker ?? 'auto') === 'auto'
          ? mosquittoInstalled()
          : options.mqttBroker === 'mosquitto';
      const mqtt: MqttServer = useMosquitto
        ? await step('Mosquitto (authentication and ACL on)', () => MosquittoBroker.start())
        : await step(
            options.mqttBroker === 'embedded'
              ? 'MQTT: embedded aedes (--embedded-mqtt)'
              : 'MQTT: embedded aedes, because Mosquitto is not installed (npm run setup as root installs it)',
            () => EmbeddedMqttBroker.start(),
          );
      started.push(mqtt);
      const postgres = await step('PostgreSQL', () => PostgresServer.start());
      started.push(postgres);
      const schemaRegistry = await step('Schema Registry (Apicurio, Confluent API)', () =>
        SchemaRegistry.start(),
      );
      started.push(schemaRegistry);
      const topics = planTopics(spec);
      await step(`${topics.length} topics`, () => createTopics(kafka, topics));
      // 32 random bytes: the hub's HS256 secret for this run only.
      const platform = new LocalPlatform(
        spec.name,
        kafka,
        mqtt,
        postgres,
        schemaRegistry,
        topics,
        randomBytes(32).toString('base64url'),
      );
      platform.started.push(...started);
      started.length = 0;
      if (options.services !== false) await platform.startServices(options, step);
      return platform;
    } catch (error) {
      for (const server of started.reverse()) await server.stop().catch(() => undefined);
      throw error;
    }
  }

  /** The five secrets, as `envFrom` would inject them into an application's pod. */
  get platformEnv(): Readonly<Record<string, string>> {
    return this.platformEnvFor('app');
  }

  /**
   * The five secrets with the MQTT user of `role` in the mqtt secret: what the chart gives the
   * bridge (`bridge`) or a gateway (`gateway`); `app` is what applications get.
   */
  platformEnvFor(role: MqttRole): Readonly<Record<string, string>> {
    return localPlatformEnv(
      {
        kafka: this.kafka,
        mqtt: this.mqtt,
        postgres: this.postgres,
        schemaRegistry: this.schemaRegistry,
        dashboardUrl: this.services.get('realtime-service')?.url,
      },
      { mqttRole: role },
    );
  }

  service(name: PlatformServiceName): NodeService {
    const service = this.services.get(name);
    if (service === undefined) throw new Error(`${name} is not running`);
    return service;
  }

  /** The dashboard URL with a token in the fragment (never sent to the server in a request line). */
  async dashboardUrl(): Promise<string> {
    const token = await mintDashboardToken(this.wsJwtSecret);
    return `${this.service('realtime-service').url}/#token=${token}`;
  }

  async token(): Promise<string> {
    return mintDashboardToken(this.wsJwtSecret);
  }

  /** Log files of everything that runs, for the printout and for failed tests. */
  get logFiles(): readonly string[] {
    return [
      this.kafka.logFile,
      this.mqtt.logFile,
      this.postgres.logFile,
      this.schemaRegistry.logFile,
      ...[...this.services.values()].map((service) => service.logFile),
    ];
  }

  /** Services first (they drain into the servers), then the servers, in reverse start order. */
  async stop(): Promise<void> {
    for (const server of this.started.reverse()) await server.stop().catch(() => undefined);
    this.started.length = 0;
  }

  private async startServices(options: LocalPlatformOptions, step: StepRunner): Promise<void> {
    const simulator = options.simulator ?? { devices: 10, rate: 10 };
    const specs = platformServices({
      platformName: this.name,
      wsJwtSecret: this.wsJwtSecret,
      simulator: simulator === false ? { devices: 0, rate: 0 } : simulator,
    })
      .filter((spec) => spec.name !== 'device-simulator' || simulator !== false)
      .filter((spec) => !Array.isArray(options.services) || options.services.includes(spec.name));
    for (const spec of specs) {
      const service = await step(spec.name, () =>
        NodeService.start({
          name: spec.name,
          entry: spec.entry,
          env: { ...this.platformEnvFor(spec.mqttRole ?? 'app'), ...spec.env },
        }),
      );
      this.services.set(spec.name, service);
      this.started.push(service);
    }
  }
}

/** Debian puts the broker in /usr/sbin, which is not on every user's PATH. */
const mosquittoInstalled = (): boolean => findExecutable('mosquitto', ['/usr/sbin']) !== undefined;

async function createTopics(kafka: KafkaBroker, topics: readonly PlannedTopic[]): Promise<void> {
  const admin = new Kafka({
    clientId: 'rtp-dev',
    brokers: [kafka.bootstrapServers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
