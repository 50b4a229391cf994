import type { RealtimePlatformSpec, SpecCondition } from '../claim/claim.types.js';
import {
  alertsTopic,
  deviceDataTopic,
  dlqTopicName,
  vitalTopics,
} from '../topics/topic.catalog.js';

/** Who talks to Kafka: one SASL/SCRAM principal each, never shared between roles. */
export type KafkaPrincipalId = 'admin' | 'bridge' | 'stream' | 'app' | 'connect' | 'registry';

/** The SASL mechanism of every principal (KRaft bootstraps SCRAM users with `kafka-storage format`). */
export const kafkaSaslMechanism = 'SCRAM-SHA-512';
/** Listener protocols a client may be told to use: authentication is never off. */
export const kafkaSecurityProtocols = ['SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof kafkaSecurityProtocols)[number];

export type KafkaAclResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER';
export type KafkaAclPatternType = 'LITERAL' | 'PREFIXED';
/** Kafka's ACL operations the plan uses (READ, WRITE, ALTER and DELETE imply DESCRIBE). */
export type KafkaAclOperation =
  'ALL' | 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'DESCRIBE' | 'DESCRIBE_CONFIGS';
export type KafkaAclPermission = 'ALLOW' | 'DENY';

/** One rule of a principal, before it is flattened into one ACL per operation. */
export interface KafkaAclGrant {
  readonly resourceType: KafkaAclResourceType;
  readonly patternType: KafkaAclPatternType;
  /** A topic or group name or prefix; `kafka-cluster` for CLUSTER; `*` (LITERAL) is every name. */
  readonly resourceName: string;
  readonly operations: readonly KafkaAclOperation[];
  readonly permission: KafkaAclPermission;
  /** Why the principal needs it (docs, and the reason a reviewer reads). */
  readonly why: string;
}

/** What a principal may do in the Schema Registry (its REST API is behind the same credentials). */
export type SchemaRegistryAccess = 'none' | 'read' | 'write';

export interface KafkaPrincipalDefinition {
  readonly id: KafkaPrincipalId;
  /** The SCRAM user name (`User:<username>` in ACLs): fixed, so ACLs can name it; the password is generated. */
  readonly username: string;
  /**
   * The Secret holding this principal's kafka-secret keys: `{name}-<secretSuffix>`. `app` is the
   * contract's `{name}-kafka-secret` itself; the others are for platform components only.
   */
  readonly secretSuffix: string;
  readonly description: string;
  /** Who runs as it. */
  readonly usedBy: string;
  /** In `super.users`: bypasses every ACL. Only the provisioning principal. */
  readonly superUser: boolean;
  readonly schemaRegistry: SchemaRegistryAccess;
  /** Absent: always there. */
  readonly enabledWhen?: SpecCondition;
  /** Its ACLs for this spec (the app principal's depend on the claim's declared topics). */
  readonly grants: (spec: RealtimePlatformSpec) => readonly KafkaAclGrant[];
}

const topic = (
  name: string,
  operations: readonly KafkaAclOperation[],
  why: string,
  patternType: KafkaAclPatternType = 'LITERAL',
): KafkaAclGrant => ({
  resourceType: 'TOPIC',
  patternType,
  resourceName: name,
  operations,
  permission: 'ALLOW',
  why,
});

const group = (
  prefix: string,
  why: string,
  permission: KafkaAclPermission = 'ALLOW',
): KafkaAclGrant => ({
  resourceType: 'GROUP',
  patternType: 'PREFIXED',
  resourceName: prefix,
  operations: permission === 'ALLOW' ? ['READ'] : ['ALL'],
  permission,
  why,
});

/** The consumer group prefix of the built-in stream processor (its `RTP_SERVICE_NAME`). */
export const streamProcessorGroupPrefix = 'stream-processor';
/** Kafka Connect's worker group and its sink connectors' groups (`connect-<connector>`). */
export const connectGroupPrefix = 'connect-';
/** Kafka Connect's internal topics (config, offsets, status) share this prefix. */
export const connectTopicPrefix = 'connect-';
/** The Confluent Schema Registry's store topic and its group. */
export const schemaRegistryStoreTopic = '_schemas';
export const schemaRegistryGroupPrefix = 'schema-registry';

/**
 * Groups reserved for the platform's own consumers: applications may use any other group id, but
 * cannot join (and so disturb or read the offsets of) these.
 */
export const reservedGroupPrefixes = [
  streamProcessorGroupPrefix,
  connectGroupPrefix,
  schemaRegistryGroupPrefix,
] as const;

/** The topics an application reads: the vital topics, the alerts and the claim's declared topics. */
export function applicationTopics(spec: RealtimePlatformSpec): string[] {
  const declared = spec.topics
    .map((declaration) => declaration.name)
    .filter((name) => name !== deviceDataTopic);
  return [...new Set([...vitalTopics, alertsTopic, ...declared])];
}

/**
 * Every Kafka principal of a platform and exactly what it may do. The local platform
 * (tools/local-infra) and the chart's provisioning Job create these users and ACLs; a chart test
 * compares the rendered ACLs with `planKafkaAccess`.
 */
export const kafkaPrincipalCatalog: readonly KafkaPrincipalDefinition[] = [
  {
    id: 'admin',
    username: 'rtp-admin',
    secretSuffix: 'kafka-admin-secret',
    description: 'provisioning: creates topics and ACLs, checks the cluster',
    usedBy: 'the provisioning Job and the broker’s SCRAM bootstrap (chart), `rtp dev` set-up',
    superUser: true,
    schemaRegistry: 'write',
    grants: () => [],
  },
  {
    id: 'bridge',
    username: 'mqtt-bridge',
    secretSuffix: 'kafka-bridge-secret',
    description: 'the built-in MQTT bridge: writes readings and their dead letters, reads nothing',
    usedBy: 'services/mqtt-bridge',
    superUser: false,
    schemaRegistry: 'none',
    enabledWhen: { field: 'iot', equals: true },
    grants: () => [
      topic(deviceDataTopic, ['WRITE'], 'publishes each MQTT reading'),
      topic(dlqTopicName(deviceDataTopic), ['WRITE'], 'dead-letters invalid readings'),
    ],
  },
  {
    id: 'stream',
    username: 'stream-processor',
    secretSuffix: 'kafka-stream-secret',
    description:
      'the built-in stream processor: reads `device_data` in its group, writes the vital topics',
    usedBy: 'services/stream-processor',
    superUser: false,
    schemaRegistry: 'write',
    enabledWhen: { field: 'streamProcessing', equals: 'builtin' },
    grants: () => [
      topic(deviceDataTopic, ['READ'], 'consumes the readings'),
      group(streamProcessorGroupPrefix, 'its shared consumer group'),
      ...vitalTopics.map((vital) => topic(vital, ['WRITE'], 'publishes the split vital signs')),
      topic(dlqTopicName(deviceDataTopic), ['WRITE'], 'dead-letters readings it cannot split'),
    ],
  },
  {
    id: 'app',
    username: 'app',
    secretSuffix: 'kafka-secret',
    description:
      'applications (`{name}-kafka-secret`): read the vital, alert and declared topics, write alerts and dead letters',
    usedBy: 'every wired application, services/realtime-service',
    superUser: false,
    schemaRegistry: 'read',
    grants: (spec) => {
      const readable = applicationTopics(spec);
      const writable = readable.filter(
        (name) => !(vitalTopics as readonly string[]).includes(name),
      );
      return [
        ...readable.map((name) => topic(name, ['READ'], 'consumes it')),
        ...writable.map((name) => topic(name, ['WRITE'], 'publishes alerts / its own records')),
        ...readable.map((name) =>
          topic(dlqTopicName(name), ['WRITE'], 'dead-letters records it cannot process'),
        ),
        {
          resourceType: 'GROUP',
          patternType: 'LITERAL',
          resourceName: '*',
          operations: ['READ'],
          permission: 'ALLOW',
          why: 'consumer groups are named by the application (`<app>-<component>` by default)',
        },
        ...reservedGroupPrefixes.map((prefix) =>
          group(prefix, 'a platform component’s group: applications never join it', 'DENY'),
        ),
      ];
    },
  },
  {
    id: 'connect',
    username: 'kafka-connect',
    secretSuffix: 'kafka-connect-secret',
    description: 'Kafka Connect workers: their internal topics, the MQTT source and Snowflake sink',
    usedBy: 'Kafka Connect (chart)',
    superUser: false,
    schemaRegistry: 'read',
    grants: () => [
      topic(
        connectTopicPrefix,
        ['READ', 'WRITE', 'CREATE', 'DESCRIBE_CONFIGS'],
        'the worker’s config, offset and status topics',
        'PREFIXED',
      ),
      group(connectGroupPrefix, 'the worker group and the sink connectors’ groups'),
      topic(deviceDataTopic, ['WRITE'], 'the MQTT source connector'),
      ...vitalTopics.map((vital) => topic(vital, ['READ'], 'the Snowflake sink connector')),
      {
        resourceType: 'CLUSTER',
        patternType: 'LITERAL',
        resourceName: 'kafka-cluster',
        operations: ['DESCRIBE_CONFIGS'],
        permission: 'ALLOW',
        why: 'the worker reads broker defaults before creating its topics',
      },
    ],
  },
  {
    id: 'registry',
    username: 'schema-registry',
    secretSuffix: 'kafka-registry-secret',
    description:
      'the Schema Registry’s store (Confluent Schema Registry keeps schemas in `_schemas`)',
    usedBy: 'Schema Registry (chart)',
    superUser: false,
    schemaRegistry: 'none',
    grants: () => [
      topic(
        schemaRegistryStoreTopic,
        ['READ', 'WRITE', 'CREATE', 'DESCRIBE_CONFIGS'],
        'its schema store',
      ),
      group(schemaRegistryGroupPrefix, 'its leader election group'),
      {
        resourceType: 'CLUSTER',
        patternType: 'LITERAL',
        resourceName: 'kafka-cluster',
        operations: ['DESCRIBE_CONFIGS'],
        permission: 'ALLOW',
        why: 'checks the store topic’s settings at start',
      },
    ],
  },
];

export function kafkaPrincipal(id: KafkaPrincipalId): KafkaPrincipalDefinition {
  const found = kafkaPrincipalCatalog.find((principal) => principal.id === id);
  if (found === undefined) throw new TypeError(`unknown Kafka principal ${id}`);
  return found;
}

/** `{name}-kafka-secret` for `app`, `{name}-kafka-bridge-secret`, … */
export function kafkaPrincipalSecretName(name: string, id: KafkaPrincipalId): string {
  return `${name}-${kafkaPrincipal(id).secretSuffix}`;
}
