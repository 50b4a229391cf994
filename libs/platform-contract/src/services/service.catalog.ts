import type { SpecCondition } from '../claim/claim.types.js';

export interface ServicePortDefinition {
  /** The Service port name (an IANA service name: at most 15 characters). */
  readonly name: string;
  readonly port: number;
  readonly description: string;
}

export interface ServiceDefinition {
  readonly id: ServiceId;
  /** The Kubernetes Service is named `{name}-{suffix}`. */
  readonly suffix: string;
  readonly description: string;
  readonly ports: readonly ServicePortDefinition[];
  /** The claim option that deploys it; absent means always deployed. */
  readonly enabledWhen?: SpecCondition;
  /**
   * Backed by a volume, so the charts may run it as a StatefulSet named like the Service. Kubernetes
   * caps StatefulSet names at 52 characters (the `controller-revision-hash` label adds 11), which
   * tightens the platform name budget.
   */
  readonly stateful: boolean;
}

export type ServiceId =
  | 'kafka'
  | 'schemaRegistry'
  | 'kafkaConnect'
  | 'mqtt'
  | 'postgresql'
  | 'mysql'
  | 'mongodb'
  | 'metabase'
  | 'grafana'
  | 'lensesHq';

/**
 * Every Kubernetes Service of a platform. Charts render exactly these names and ports; a chart test
 * checks that every host in every secret resolves to one of them on the port given here.
 *
 * Schema Registry and Connect run inside the fast-data-dev pod but get Services of their own, so
 * their URLs, NetworkPolicies and status endpoints stay the same if they ever move to their own pods.
 * The Lenses Agent has no Service: nothing dials it; it dials `lensesHq`'s `agents` port.
 */
export const serviceCatalog: readonly ServiceDefinition[] = [
  {
    id: 'kafka',
    suffix: 'kafka',
    description: 'Kafka broker (lensesio/fast-data-dev); `ADV_HOST` is this Service host',
    ports: [
      { name: 'kafka', port: 9092, description: 'PLAINTEXT listener for in-cluster clients' },
      {
        name: 'kafka-external',
        port: 19092,
        description: 'second listener (the requirements external listener)',
      },
    ],
    stateful: true,
  },
  {
    id: 'schemaRegistry',
    suffix: 'schema-registry',
    description: 'Confluent Schema Registry (in the Kafka pod)',
    ports: [{ name: 'http', port: 8081, description: 'REST API' }],
    stateful: false,
  },
  {
    id: 'kafkaConnect',
    suffix: 'kafka-connect',
    description: 'Kafka Connect (in the Kafka pod): MQTT source, Snowflake sink',
    ports: [{ name: 'http', port: 8083, description: 'REST API' }],
    stateful: false,
  },
  {
    id: 'mqtt',
    suffix: 'mqtt',
    description: 'Eclipse Mosquitto MQTT broker, authentication on',
    ports: [
      { name: 'mqtt', port: 1883, description: 'MQTT over TCP' },
      { name: 'websocket', port: 9001, description: 'MQTT over WebSockets' },
    ],
    enabledWhen: { field: 'iot', equals: true },
    stateful: true,
  },
  {
    id: 'postgresql',
    suffix: 'postgresql',
    description:
      "PostgreSQL: the platform's own databases (Lenses, Metabase), and the application database with `database: postgres`",
    ports: [{ name: 'postgresql', port: 5432, description: 'PostgreSQL protocol' }],
    stateful: true,
  },
  {
    id: 'mysql',
    suffix: 'mysql',
    description: 'MySQL 8.4: the application database with `database: mysql`',
    ports: [{ name: 'mysql', port: 3306, description: 'MySQL protocol' }],
    enabledWhen: { field: 'database', equals: 'mysql' },
    stateful: true,
  },
  {
    id: 'mongodb',
    suffix: 'mongodb',
    description:
      'MongoDB 7.0, authentication on: the application database with `database: mongodb`',
    ports: [{ name: 'mongodb', port: 27017, description: 'MongoDB wire protocol' }],
    enabledWhen: { field: 'database', equals: 'mongodb' },
    stateful: true,
  },
  {
    id: 'metabase',
    suffix: 'metabase',
    description: 'Metabase analytics dashboard',
    ports: [{ name: 'http', port: 3000, description: 'web UI and API' }],
    enabledWhen: { field: 'visualization', equals: 'metabase' },
    stateful: false,
  },
  {
    id: 'grafana',
    suffix: 'grafana',
    description: 'Grafana dashboard (instead of Metabase)',
    ports: [{ name: 'http', port: 3000, description: 'web UI and API' }],
    enabledWhen: { field: 'visualization', equals: 'grafana' },
    stateful: false,
  },
  {
    id: 'lensesHq',
    suffix: 'lenses-hq',
    description: 'Lenses HQ control plane (the Lenses Agent has no Service: it dials `agents`)',
    ports: [
      { name: 'http', port: 9991, description: 'web UI and API' },
      { name: 'agents', port: 10000, description: 'where Lenses Agents connect' },
    ],
    enabledWhen: { field: 'streamProcessing', equals: 'lenses' },
    stateful: false,
  },
];

export function serviceDefinition(id: ServiceId): ServiceDefinition {
  const found = serviceCatalog.find((service) => service.id === id);
  if (found === undefined) throw new TypeError(`unknown service id ${id}`);
  return found;
}

export function servicePort(id: ServiceId, portName: string): ServicePortDefinition {
  const found = serviceDefinition(id).ports.find((port) => port.name === portName);
  if (found === undefined) throw new TypeError(`service ${id} has no port ${portName}`);
  return found;
}
