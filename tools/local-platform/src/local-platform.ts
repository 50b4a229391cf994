import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { findExecutable } from '@realtime-platform/toolchain';
import {
  ContainerService,
  EmbeddedMqttBroker,
  FerretDbServer,
  KafkaBroker,
  MariaDbServer,
  localPlatformEnv,
  type LocalPlatformEnvOptions,
  MosquittoBroker,
  type MqttServer,
  NodeService,
  PostgresServer,
  SchemaRegistry,
  type ServiceProcess,
} from '@realtime-platform/local-infra';
import { SimulatedFleet, defaultSimulationOptions } from '@realtime-platform/device-simulator';
import {
  alertsTopic,
  parseClaimSpec,
  type Database,
  planTopics,
  vitalTopics,
  type PlannedTopic,
} from '@realtime-platform/platform-contract';
import { mintDashboardToken, type AccessGrantClaim } from './dashboard-token.js';
import {
  platformServices,
  serviceImage,
  serviceNodeOptions,
  type PlatformServiceName,
} from './platform-services.js';

export interface LocalPlatformOptions {
  /** Platform name (secret names, service names in logs). */
  readonly name: string;
  /** Run the platform services (default true), or only the ones named. */
  readonly services?: boolean | readonly PlatformServiceName[];
  /** Simulated devices publishing over MQTT; `false` for none. */
  readonly simulator?: { readonly devices: number; readonly rate: number } | false;
  /** `auto` (default): Mosquitto when installed, else the embedded aedes broker, saying so. */
  readonly mqttBroker?: 'auto' | 'mosquitto' | 'embedded';
  /** Devices the dashboard token grants besides the simulated ones (readings you publish yourself). */
  readonly dashboardDevices?: readonly string[];
  /**
   * How the services run: `process` (default, the built dist/main.js on this Node) or
   * `container` (their images, `tools/images/scripts/build-images.sh`, as ContainerService runs
   * them: read-only root, non-root, the host's network).
   */
  readonly runtime?: 'process' | 'container';
  /** RTP_* variables for every platform service on top of their own, e.g. `RTP_KAFKA_CLIENT` (the benches). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /**
   * The application database engine (the claim's `database`, default `postgres`): `mysql` runs a
   * MariaDB (Debian's stand-in for MySQL), `mongodb` a FerretDB (MongoDB's wire protocol), and
   * `{name}-db-secret` points at it. PostgreSQL runs in every case, as in a cluster.
   */
  readonly database?: Database;
  /**
   * Hard memory limits (MiB) per service, as a pod's `resources.limits.memory`: each runs in a
   * memory cgroup (needs root; `ServiceProcess.memoryStats()` tells its peak and OOM kills).
   */
  readonly memoryLimitsMiB?: Readonly<Partial<Record<PlatformServiceName, number>>>;
  /**
   * V8 CPU profiles (`--cpu-prof`) of these services, each written to `{dir}/{service}/` when the
   * service stops (process runtime only): where the benches find where the time goes.
   */
  readonly cpuProfile?: { readonly dir: string; readonly services: readonly PlatformServiceName[] };
}

/** The server of a non-PostgreSQL application database. */
export type ApplicationDatabaseServer = MariaDbServer | FerretDbServer;

/**
 * Up to this many devices the dashboard token lists them (the dashboard shows at most 200, and a
 * token with thousands of ids would not fit in a WebSocket upgrade's headers); more simulated
 * devices get `"devices": "*"`, and `rtp dev` says so.
 */
export const maxListedDashboardDevices = 200;

/** The platform's five topics the dashboard reads: the vital topics and the alerts. */
const dashboardTopics: readonly string[] = [...vitalTopics, alertsTopic];

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
  readonly services = new Map<PlatformServiceName, ServiceProcess>();
  private readonly started: Stoppable[] = [];

  private constructor(
    readonly name: string,
    readonly kafka: KafkaBroker,
    readonly mqtt: MqttServer,
    readonly postgres: PostgresServer,
    /** The claim's `database`; with `mysql` or `mongodb` its server is `applicationDatabase`. */
    readonly database: Database,
    readonly applicationDatabase: ApplicationDatabaseServer | undefined,
    readonly schemaRegistry: SchemaRegistry,
    readonly topics: readonly PlannedTopic[],
    readonly wsJwtSecret: string,
    /** What the dashboard token of this run grants. */
    readonly dashboardGrant: AccessGrantClaim,
  ) {}

  /** The `iss` of this run's tokens (`RTP_WS_JWT_ISSUER` of its realtime service). */
  get wsJwtIssuer(): string {
    return `urn:realtime-platform:rtp-dev:${this.name}`;
  }

  /** The `aud` of this run's tokens (`RTP_WS_JWT_AUDIENCE` of its realtime service). */
  readonly wsJwtAudience = 'realtime-service';

  static async start(
    options: LocalPlatformOptions,
    step: StepRunner = runSilently,
  ): Promise<LocalPlatform> {
    const spec = parseClaimSpec({ name: options.name, database: options.database });
    const started: Stoppable[] = [];
    let platform: LocalPlatform | undefined;
    try {
      const kafka = await step('Kafka 3.9 (KRaft, SASL/SCRAM, ACLs)', () =>
        KafkaBroker.start({ spec }),
      );
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
      const applicationDatabase =
        spec.database === 'mysql'
          ? await step('MySQL: MariaDB 10.11, the stand-in Debian packages (database: mysql)', () =>
              MariaDbServer.start(),
            )
          : spec.database === 'mongodb'
            ? await step('MongoDB wire protocol: FerretDB 1.24, auth on (database: mongodb)', () =>
                FerretDbServer.start(),
              )
            : undefined;
      if (applicationDatabase) started.push(applicationDatabase);
      // Logins: the Kafka principals with their Kafka passwords (the kafka secret logs in to both).
      const schemaRegistry = await step(
        'Schema Registry (Apicurio, Confluent API, logins on)',
        () => SchemaRegistry.start({ users: kafka.registryUsers() }),
      );
      started.push(schemaRegistry);
      const topics = planTopics(spec);
      await step(`${topics.length} topics`, () => createTopics(kafka, topics));
      // 32 random bytes: the hub's HS256 secret for this run only.
      platform = new LocalPlatform(
        spec.name,
        kafka,
        mqtt,
        postgres,
        spec.database,
        applicationDatabase,
        schemaRegistry,
        topics,
        randomBytes(32).toString('base64url'),
        dashboardGrantFor(options),
      );
      platform.started.push(...started);
      started.length = 0;
      if (options.services !== false) await platform.startServices(options, step);
      return platform;
    } catch (error) {
      // A service that failed to start: the servers (now the platform's) and the services started
      // before it are stopped too, or the caller, who never gets the platform, could not.
      if (platform !== undefined) await platform.stop().catch(() => undefined);
      for (const server of started.reverse()) await server.stop().catch(() => undefined);
      throw error;
    }
  }

  /** The five secrets, as `envFrom` would inject them into an application's pod. */
  get platformEnv(): Readonly<Record<string, string>> {
    return this.envFor();
  }

  /** The five secrets with the kafka secret of `kafkaPrincipal`, as the chart gives a service. */
  envFor(identity: LocalPlatformEnvOptions = {}): Readonly<Record<string, string>> {
    return localPlatformEnv(
      {
        kafka: this.kafka,
        mqtt: this.mqtt,
        postgres: this.postgres,
        ...(this.applicationDatabase instanceof MariaDbServer
          ? { mysql: this.applicationDatabase }
          : this.applicationDatabase instanceof FerretDbServer
            ? { mongodb: this.applicationDatabase }
            : {}),
        schemaRegistry: this.schemaRegistry,
        dashboardUrl: this.services.get('realtime-service')?.url,
      },
      {
        kafkaPrincipal: identity.kafkaPrincipal,
        mqttRole: identity.mqttRole,
        database: this.database,
      },
    );
  }

  service(name: PlatformServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (service === undefined) throw new Error(`${name} is not running`);
    return service;
  }

  /** The dashboard URL with a token in the fragment (never sent to the server in a request line). */
  async dashboardUrl(): Promise<string> {
    return `${this.service('realtime-service').url}/#token=${await this.token()}`;
  }

  /**
   * A token of this run (12 h, the run's issuer and audience) granting `grant`: by default what
   * the dashboard gets; tests pass exactly what they need.
   */
  async token(grant: AccessGrantClaim = this.dashboardGrant, subject = 'rtp-dev'): Promise<string> {
    return mintDashboardToken(this.wsJwtSecret, {
      grant,
      issuer: this.wsJwtIssuer,
      audience: this.wsJwtAudience,
      subject,
    });
  }

  /** Log files of everything that runs, for the printout and for failed tests. */
  get logFiles(): readonly string[] {
    return [
      this.kafka.logFile,
      this.mqtt.logFile,
      this.postgres.logFile,
      ...(this.applicationDatabase ? [this.applicationDatabase.logFile] : []),
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
    const listed = this.dashboardGrant.devices === '*' ? 0 : this.dashboardGrant.devices.length;
    const specs = platformServices({
      platformName: this.name,
      wsJwtSecret: this.wsJwtSecret,
      wsJwtIssuer: this.wsJwtIssuer,
      wsJwtAudience: this.wsJwtAudience,
      // The dashboard subscribes per granted device and topic.
      wsMaxSubscriptions: Math.max(256, listed * dashboardTopics.length),
      simulator: simulator === false ? { devices: 0, rate: 0 } : simulator,
    })
      .filter((spec) => spec.name !== 'device-simulator' || simulator !== false)
      .filter((spec) => !Array.isArray(options.services) || options.services.includes(spec.name));
    for (const spec of specs) {
      const memoryLimit = options.memoryLimitsMiB?.[spec.name];
      const service = await step(spec.name, (): Promise<ServiceProcess> =>
        options.runtime === 'container'
          ? ContainerService.start({
              ...(memoryLimit === undefined ? {} : { memoryLimitMiB: memoryLimit }),
              name: spec.name,
              image: serviceImage(spec.name),
              // Where to listen: the container shares the host's network, so loopback only (in a
              // pod, the pod's own network namespace makes this moot).
              env: {
                ...this.envFor(spec),
                ...spec.env,
                ...options.serviceEnv,
                RTP_HTTP_HOST: '127.0.0.1',
              },
            })
          : NodeService.start({
              name: spec.name,
              entry: spec.entry,
              // The image's V8 flags (its heap cap), so a process behaves as its pod would.
              env: {
                NODE_OPTIONS: serviceNodeOptions(spec.name),
                ...this.envFor(spec),
                ...spec.env,
                ...options.serviceEnv,
              },
              ...(options.cpuProfile?.services.includes(spec.name) === true
                ? {
                    nodeArgs: [
                      '--cpu-prof',
                      `--cpu-prof-dir=${join(options.cpuProfile.dir, spec.name)}`,
                    ],
                  }
                : {}),
              ...(memoryLimit === undefined ? {} : { memoryLimitMiB: memoryLimit }),
            }),
      );
      this.services.set(spec.name, service);
      this.started.push(service);
    }
  }
}

/**
 * The dashboard's grant: the five topics, and the simulated devices (their ids as the simulator
 * makes them) plus `dashboardDevices`, or every device when there are too many to list.
 */
function dashboardGrantFor(options: LocalPlatformOptions): AccessGrantClaim {
  const simulator = options.simulator ?? { devices: 10, rate: 10 };
  const simulated =
    simulator === false
      ? []
      : new SimulatedFleet({
          ...defaultSimulationOptions,
          devices: simulator.devices,
        }).devices.map((device) => device.deviceId);
  const devices = [...new Set([...simulated, ...(options.dashboardDevices ?? [])])];
  return {
    devices: devices.length > maxListedDashboardDevices ? '*' : devices,
    topics: dashboardTopics,
  };
}

/** Debian puts the broker in /usr/sbin, which is not on every user's PATH. */
const mosquittoInstalled = (): boolean => findExecutable('mosquitto', ['/usr/sbin']) !== undefined;

/** As the provisioning principal, the only one allowed to create topics. */
async function createTopics(kafka: KafkaBroker, topics: readonly PlannedTopic[]): Promise<void> {
  await kafka.createTopics(
    topics.map((topic) => ({
      topic: topic.name,
      numPartitions: topic.partitions,
      configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
    })),
  );
}
