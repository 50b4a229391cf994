/**
 * The application database engines (`{name}-db-secret`): the requirements' three. The platform's
 * own databases (Lenses HQ and Agent, Metabase's application database) stay on PostgreSQL whatever
 * this says; `databaseEngineCatalog` holds what differs per engine.
 */
export const databases = ['postgres', 'mysql', 'mongodb'] as const;
export const visualizations = ['metabase', 'grafana'] as const;
/** `builtin` needs no licence; `lenses` runs the requirements' Lenses SQL processors on Lenses HQ + Agent. */
export const streamProcessors = ['builtin', 'lenses'] as const;

export type Database = (typeof databases)[number];
export type Visualization = (typeof visualizations)[number];
export type StreamProcessing = (typeof streamProcessors)[number];

export type { KafkaBrokerCount } from '../kafka-cluster/kafka-cluster.settings.js';
import type { KafkaBrokerCount } from '../kafka-cluster/kafka-cluster.settings.js';

/** Where a device's password is: a key of a Secret in the claim's namespace. */
export interface SecretKeyReference {
  name: string;
  key: string;
}

/**
 * A device's MQTT user. Its password is never in the claim: the claim (and so the provider-helm
 * Release's values and the Application's revisions) names the Secret key that holds it, and only
 * the broker's pod reads it.
 */
export interface MqttUser {
  username: string;
  passwordSecretRef: SecretKeyReference;
}

export interface ScalingSpec {
  minReplicas: number;
  maxReplicas: number;
}

export interface SnowflakeSpec {
  enabled: boolean;
  /** Name of a Secret in the claim's namespace with the keys of `snowflakeCredentialKeys`. */
  credentialsSecret?: string;
}

export interface TopicDeclaration {
  name: string;
  partitions: number;
  /** Same syntax as `dataRetention`; defaults to the claim's `dataRetention`. */
  retention?: string;
}

/** A claim's `spec` after validation and defaulting: what every layer reads. */
export interface RealtimePlatformSpec {
  name: string;
  database: Database;
  visualization: Visualization;
  iot: boolean;
  streamProcessing: StreamProcessing;
  kafkaBrokers: KafkaBrokerCount;
  mqttUsers: MqttUser[];
  dataRetention: string;
  scaling: ScalingSpec;
  snowflake: SnowflakeSpec;
  topics: TopicDeclaration[];
}

/** A claim's `spec` as a user writes it: only `name` is required. */
export interface RealtimePlatformSpecInput {
  name: string;
  database?: Database;
  visualization?: Visualization;
  iot?: boolean;
  streamProcessing?: StreamProcessing;
  kafkaBrokers?: KafkaBrokerCount;
  mqttUsers?: MqttUser[];
  dataRetention?: string;
  scaling?: Partial<ScalingSpec>;
  snowflake?: Partial<SnowflakeSpec>;
  topics?: Array<Pick<TopicDeclaration, 'name'> & Partial<TopicDeclaration>>;
}

/** A condition on the spec that turns a Service, a secret or a database on. */
export type SpecCondition =
  | { field: 'iot'; equals: boolean }
  | { field: 'database'; equals: Database }
  | { field: 'visualization'; equals: Visualization }
  | { field: 'streamProcessing'; equals: StreamProcessing };

export function conditionHolds(condition: SpecCondition | undefined, spec: RealtimePlatformSpec) {
  return condition === undefined || spec[condition.field] === condition.equals;
}

export function describeCondition(condition: SpecCondition | undefined): string {
  return condition === undefined ? 'always' : `${condition.field}: ${String(condition.equals)}`;
}
