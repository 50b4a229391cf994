import type { LocalPlatform } from '@realtime-platform/local-platform';

/** A server or service a drill can crash and bring back on the same port and data. */
interface Crashable {
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

/** What a fault interrupts, and so which arrival tells that the platform recovered. */
export type RecoverySignal = 'readings' | 'alerts';

export interface Fault {
  readonly name: FaultName;
  /** What the drill does, for the table. */
  readonly what: string;
  /** How long the component stays away (before the outage scale). */
  readonly outageMs: number;
  /** Readings reaching the vital topics again, or alerts reaching the database again. */
  readonly recoveredBy: RecoverySignal;
  /**
   * A dependency (server) is "back" when its restart answered; a platform service is back when it
   * is being started again, so its own start-up (group joins included) counts in its recovery.
   */
  readonly backWhen: 'restarted' | 'restarting';
  inject(platform: LocalPlatform): Promise<void>;
  restore(platform: LocalPlatform): Promise<void>;
}

export const faultNames = [
  'none',
  'kafka',
  'mosquitto',
  'schema-registry',
  'postgresql',
  'mqtt-bridge',
  'stream-processor',
  'realtime-service',
] as const;
export type FaultName = (typeof faultNames)[number];

const crash = (server: Crashable): Promise<void> => server.kill('SIGKILL');

/** The MQTT broker of the platform, when it can crash (Mosquitto; the embedded broker cannot). */
function mosquitto(platform: LocalPlatform): Crashable {
  const broker = platform.mqtt as Partial<Crashable>;
  if (typeof broker.kill !== 'function' || typeof broker.restart !== 'function') {
    throw new Error('the mosquitto drill needs Mosquitto (npm run setup installs it as root)');
  }
  return broker as Crashable;
}

/**
 * A baseline without a fault (each reading counted exactly once: one intake, no redelivery),
 * then every fault the issue names, each as an incident: the component dies without warning (SIGKILL;
 * PostgreSQL is stopped, as a database failover or maintenance would), stays away, and comes back
 * on the same port and data. Durations are the (Kafka 20 s, Mosquitto 5 s, PostgreSQL 60 s).
 */
export const faults: Readonly<Record<FaultName, Fault>> = {
  none: {
    name: 'none',
    what: 'no fault: the steady pipeline, where every reading must arrive exactly once',
    outageMs: 0,
    recoveredBy: 'readings',
    backWhen: 'restarted',
    inject: async () => undefined,
    restore: async () => undefined,
  },
  kafka: {
    name: 'kafka',
    what: 'kill -9 Kafka, restart on the same data dir after 20 s',
    outageMs: 20_000,
    recoveredBy: 'readings',
    backWhen: 'restarted',
    inject: (platform) => crash(platform.kafka),
    restore: (platform) => platform.kafka.restart(),
  },
  mosquitto: {
    name: 'mosquitto',
    what: 'kill -9 Mosquitto, restart on the same data dir after 5 s',
    outageMs: 5_000,
    recoveredBy: 'readings',
    backWhen: 'restarted',
    inject: (platform) => crash(mosquitto(platform)),
    restore: (platform) => mosquitto(platform).restart(),
  },
  'schema-registry': {
    name: 'schema-registry',
    what: 'kill -9 the Schema Registry, restart after 10 s',
    outageMs: 10_000,
    recoveredBy: 'readings',
    backWhen: 'restarted',
    inject: (platform) => crash(platform.schemaRegistry),
    restore: (platform) => platform.schemaRegistry.restart(),
  },
  postgresql: {
    name: 'postgresql',
    what: 'stop PostgreSQL for 60 s',
    outageMs: 60_000,
    recoveredBy: 'alerts',
    backWhen: 'restarted',
    inject: (platform) => platform.postgres.stop(),
    restore: (platform) => platform.postgres.restart(),
  },
  'mqtt-bridge': {
    name: 'mqtt-bridge',
    what: 'kill -9 the mqtt-bridge, restart at once',
    outageMs: 0,
    recoveredBy: 'readings',
    backWhen: 'restarting',
    inject: (platform) => crash(platform.service('mqtt-bridge')),
    restore: (platform) => platform.service('mqtt-bridge').restart(),
  },
  'stream-processor': {
    name: 'stream-processor',
    what: 'kill -9 the stream-processor, restart at once',
    outageMs: 0,
    recoveredBy: 'readings',
    backWhen: 'restarting',
    inject: (platform) => crash(platform.service('stream-processor')),
    restore: (platform) => platform.service('stream-processor').restart(),
  },
  'realtime-service': {
    name: 'realtime-service',
    what: 'kill -9 the realtime-service, restart at once',
    outageMs: 0,
    recoveredBy: 'alerts',
    backWhen: 'restarting',
    inject: (platform) => crash(platform.service('realtime-service')),
    restore: (platform) => platform.service('realtime-service').restart(),
  },
};

export function parseFaultNames(text: string): FaultName[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(faultNames as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown fault(s) ${unknown.join(', ')}; known: ${faultNames.join(', ')}`);
  }
  return names as FaultName[];
}
