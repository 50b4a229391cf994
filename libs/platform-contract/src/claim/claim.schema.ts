import { maxPlatformNameLength, platformNamePattern } from '../naming/platform-name.rules.js';
import {
  defaultTopicPartitions,
  maxTopicNameLength,
  topicNamePattern,
} from '../topics/topic.catalog.js';
import { databases, streamProcessors, visualizations } from './claim.types.js';
import { defaultKafkaBrokers, kafkaBrokerCounts } from '../kafka-cluster/kafka-cluster.settings.js';
import { retentionPattern } from './retention.converter.js';

/** A CEL rule as Kubernetes runs it (`x-kubernetes-validations`). */
export interface CelRule {
  readonly rule: string;
  readonly message: string;
}

/**
 * The subset of JSON Schema that is also a Kubernetes structural OpenAPI v3 schema: it can be pasted
 * into a Crossplane XRD `openAPIV3Schema` and into a Helm `values.schema.json` (JSON Schema
 * validators ignore the `x-kubernetes-*` keywords). No `additionalProperties`: a structural schema
 * may not combine it with `properties` (unknown fields are pruned there; `validateClaimSpec`
 * rejects them).
 */
export interface ClaimJsonSchema {
  readonly type: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, ClaimJsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: ClaimJsonSchema;
  readonly enum?: readonly (string | number | boolean)[];
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maxItems?: number;
  readonly 'x-kubernetes-list-type'?: 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-validations'?: readonly CelRule[];
}

/** A DNS-1123 subdomain: the name of a Kubernetes Secret. */
export const secretNamePattern =
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** Mosquitto's password file is `user:hash` lines. */
/**
 * A device's MQTT user name is its deviceId and a level of its topic `health/device_data/<name>`:
 * no ":" or white space (Mosquitto's password and ACL files), no "/", "+" or "#" (topic syntax).
 */
export const mqttUsernamePattern = '^[^:\\s/+#]+$';
/** A key of a Secret's data (Kubernetes' rule for ConfigMap and Secret keys). */
export const secretKeyPattern = '^[-._a-zA-Z0-9]+$';
export const maxDeclaredTopics = 100;

/**
 * The rules a JSON Schema cannot express, as CEL for the XRD. `validateClaimSpec` implements each of
 * them in TypeScript with the same meaning (a test runs both on the same claims).
 */
export const claimCelRules = {
  mqttUsersWithoutIot: {
    rule: '!(has(self.iot) && self.iot == false && has(self.mqttUsers) && size(self.mqttUsers) > 0)',
    message: 'spec.mqttUsers needs spec.iot: true',
  },
  scalingMinAboveMax: {
    rule: '!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas',
    message: 'spec.scaling.minReplicas must not exceed spec.scaling.maxReplicas',
  },
  snowflakeSecretMissing: {
    rule: '!has(self.enabled) || !self.enabled || has(self.credentialsSecret)',
    message: 'spec.snowflake.credentialsSecret is required when spec.snowflake.enabled is true',
  },
  mqttPasswordInline: {
    rule: '!has(self.password)',
    message:
      'spec.mqttUsers[].password is refused: a device password in the claim travels in clear into the Release values and the Application revisions; put it in a Secret of this namespace and give passwordSecretRef: {name, key}',
  },
  dashboardCannotReadDatabase: {
    rule: "!(has(self.database) && self.database == 'mongodb' && has(self.visualization) && self.visualization == 'grafana')",
    message:
      'spec.visualization: grafana cannot read spec.database: mongodb (Grafana has no MongoDB data source outside its Enterprise edition); use visualization: metabase, or database: postgres or mysql',
  },
  topicNameReserved: {
    rule: "!self.name.endsWith('.dlq')",
    message: 'spec.topics[].name must not end with .dlq (reserved for dead-letter topics)',
  },
} as const satisfies Record<string, CelRule>;

const retention = (description: string): ClaimJsonSchema => ({
  type: 'string',
  description,
  pattern: retentionPattern,
});

/**
 * The schema of a `RealtimePlatformClaim`'s `spec`, exactly the requirements' XRD plus
 * `streamProcessing` and declarative `topics`, with these deliberate differences: `name` is a
 * length-limited DNS-1035 label; the rules of `claimCelRules`.
 */
export const claimSpecSchema = {
  type: 'object',
  description: 'Desired state of a realtime platform.',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      description: `Name of the real-time system; every Service and Secret is named {name}-<part>. A DNS-1035 label of at most ${maxPlatformNameLength} characters.`,
      pattern: platformNamePattern,
      maxLength: maxPlatformNameLength,
    },
    database: {
      type: 'string',
      description:
        "Database type for the applications' storage ({name}-db-secret): postgres, mysql (MySQL 8.4) or mongodb (MongoDB 7.0, authentication on). The platform's own databases (Lenses HQ and Agent, Metabase's application database) stay on PostgreSQL whatever this says.",
      enum: databases,
      default: 'postgres',
    },
    visualization: {
      type: 'string',
      description: 'Analytics dashboard platform.',
      enum: visualizations,
      default: 'metabase',
    },
    iot: {
      type: 'boolean',
      description: 'Enable the MQTT IoT broker (Mosquitto) and the MQTT to Kafka bridge.',
      default: true,
    },
    streamProcessing: {
      type: 'string',
      description:
        'Stream processing engine: builtin needs no licence; lenses runs Lenses HQ + Agent and needs a Lenses licence configured by the platform engineer.',
      enum: streamProcessors,
      default: 'builtin',
    },
    kafkaBrokers: {
      type: 'integer',
      description:
        'Kafka brokers: 1 (development: one copy of every record) or 3 (production: replication factor 3, min.insync.replicas 2, so one broker may fail or be drained without losing an acknowledged record).',
      enum: kafkaBrokerCounts,
      default: defaultKafkaBrokers,
    },
    mqttUsers: {
      type: 'array',
      description:
        'MQTT users of devices, user name = deviceId: each may publish only its own readings (health/device_data/<username>). Applications get a generated user of their own in {name}-mqtt-secret.',
      default: [],
      items: {
        type: 'object',
        required: ['username', 'passwordSecretRef'],
        properties: {
          username: {
            type: 'string',
            description:
              'MQTT user name: the deviceId, one topic level (no colon, white space, "/", "+" or "#").',
            pattern: mqttUsernamePattern,
          },
          passwordSecretRef: {
            type: 'object',
            description:
              "The device's password: a key of a Secret in the claim namespace, read only by the broker's pod (never by the claim, the Release or the Application).",
            required: ['name', 'key'],
            properties: {
              name: {
                type: 'string',
                description: 'Secret name.',
                pattern: secretNamePattern,
                maxLength: 253,
              },
              key: {
                type: 'string',
                description: 'Key of the Secret holding the password.',
                pattern: secretKeyPattern,
                maxLength: 253,
              },
            },
          },
          // Declared only to be refused with a message (mqttPasswordInline): a structural
          // schema would otherwise prune it without a word.
          password: {
            type: 'string',
            description: 'Refused: passwords are never given in the claim; use passwordSecretRef.',
          },
        },
        'x-kubernetes-validations': [claimCelRules.mqttPasswordInline],
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['username'],
    },
    dataRetention: {
      ...retention(
        'Data retention period of the Kafka topics: a number and d (days), w (weeks) or m (months of 30 days), e.g. 7d, 30d, 6m.',
      ),
      default: '7d',
    },
    scaling: {
      type: 'object',
      description: 'Replica bounds of the scalable parts (stream processing, realtime services).',
      default: {},
      properties: {
        minReplicas: {
          type: 'integer',
          description: 'Minimum replicas.',
          minimum: 1,
          default: 1,
        },
        maxReplicas: {
          type: 'integer',
          description: 'Maximum replicas (at least minReplicas).',
          minimum: 1,
          default: 5,
        },
      },
      'x-kubernetes-validations': [claimCelRules.scalingMinAboveMax],
    },
    snowflake: {
      type: 'object',
      description: 'Snowflake sink of the vital-sign topics and Metabase data source.',
      default: {},
      properties: {
        enabled: { type: 'boolean', description: 'Enable the Snowflake sink.', default: false },
        credentialsSecret: {
          type: 'string',
          description:
            'Secret in the claim namespace with the Snowflake key pair (keys: see the platform contract).',
          pattern: secretNamePattern,
          maxLength: 253,
        },
      },
      'x-kubernetes-validations': [claimCelRules.snowflakeSecretMissing],
    },
    topics: {
      type: 'array',
      description:
        'Extra Kafka topics, or overrides of the default topics partitions and retention; each gets a <name>.dlq.',
      default: [],
      maxItems: maxDeclaredTopics,
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: {
            type: 'string',
            description: 'Kafka topic name.',
            pattern: topicNamePattern,
            maxLength: maxTopicNameLength,
          },
          partitions: {
            type: 'integer',
            description: 'Number of partitions.',
            minimum: 1,
            default: defaultTopicPartitions,
          },
          retention: retention('Retention of this topic (default: dataRetention).'),
        },
        'x-kubernetes-validations': [claimCelRules.topicNameReserved],
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
  },
  'x-kubernetes-validations': [
    claimCelRules.mqttUsersWithoutIot,
    claimCelRules.dashboardCannotReadDatabase,
  ],
} as const satisfies ClaimJsonSchema;
