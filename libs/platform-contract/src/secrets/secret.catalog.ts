import type { RealtimePlatformSpec, SpecCondition } from '../claim/claim.types.js';
import {
  kafkaSaslMechanism,
  kafkaSecurityProtocols,
} from '../kafka-access/kafka-principal.catalog.js';
import { databases } from '../claim/claim.types.js';
import type { ServiceId } from '../services/service.catalog.js';

export type SecretId = 'mqtt' | 'kafka' | 'db' | 'metabase' | 'lenses';

interface KeyBase {
  /** The env-var name: applications get all five secrets with `envFrom`, so keys are globally unique. */
  readonly key: string;
  readonly description: string;
}

/** Derived from the Service model: a host, a port, a URL or a bootstrap list. Never a credential. */
export interface EndpointKeyDefinition extends KeyBase {
  readonly kind: 'endpoint';
  readonly format: 'host' | 'port' | 'bootstrap' | 'url';
  /**
   * Candidate Services in order: the key points at the first one the spec deploys (the database
   * keys list the engine Services before PostgreSQL, which every platform deploys).
   */
  readonly services: readonly ServiceId[];
  /** The port's name on the Service (`portByService` for a candidate whose port is named otherwise). */
  readonly port: string;
  readonly portByService?: Readonly<Partial<Record<ServiceId, string>>>;
  readonly scheme?: 'http' | 'mqtt' | 'ws';
  readonly path?: string;
}

/** Generated at install time (or taken from an existing Secret) and passed in: never defaulted. */
export interface CredentialKeyDefinition extends KeyBase {
  readonly kind: 'credential';
  /** Passwords are sensitive; user names are credentials but may be shown. */
  readonly sensitive: boolean;
}

/** A value decided by the contract and the spec: an on/off flag, a type, a database name. */
export interface SettingKeyDefinition extends KeyBase {
  readonly kind: 'setting';
  readonly format: 'flag' | 'enum' | 'name';
  readonly values?: readonly string[];
  readonly value: (spec: RealtimePlatformSpec) => string;
}

/**
 * A ready connection URL composed from the secret's other keys (so it carries the password, and is
 * as sensitive): what a driver's `connect(url)` takes.
 */
export interface ConnectionKeyDefinition extends KeyBase {
  readonly kind: 'connection';
  readonly format: 'url';
  /** Its scheme per value of the secret's type setting (`DB_TYPE`). */
  readonly schemes: Readonly<Record<string, string>>;
}

export type SecretKeyDefinition =
  EndpointKeyDefinition | CredentialKeyDefinition | SettingKeyDefinition | ConnectionKeyDefinition;

/** The name of the port `key` points at on the Service `service`. */
export function endpointPortName(key: EndpointKeyDefinition, service: ServiceId): string {
  return key.portByService?.[service] ?? key.port;
}

export interface SecretDefinition {
  readonly id: SecretId;
  /** The Secret is named `{name}-{suffix}`. */
  readonly suffix: string;
  /** Every key of this secret starts with it, and no prefix starts another: keys cannot collide. */
  readonly prefix: string;
  readonly description: string;
  /**
   * When the spec turns the feature off, the Secret still exists (so `envFrom` never fails and never
   * needs `optional: true`) but holds only its `<PREFIX>ENABLED: "false"` flag.
   */
  readonly enabledWhen?: SpecCondition;
  readonly keys: readonly SecretKeyDefinition[];
}

/** The name of the application database the charts create (fixed, so it never collides with `hq`…). */
export const applicationDatabaseName = 'realtime';

const mqttEnabled = (spec: RealtimePlatformSpec): string => String(spec.iot);
/** The engines' Services, the one `spec.database` deploys first: PostgreSQL is always deployed. */
const databaseServices = ['mysql', 'mongodb', 'postgresql'] as const satisfies readonly ServiceId[];
const databasePorts = { mysql: 'mysql', mongodb: 'mongodb' } as const;
/** `DB_URL`'s scheme per `DB_TYPE` (databaseEngineCatalog's urlScheme; a test compares). */
const databaseUrlSchemes = { postgres: 'postgresql', mysql: 'mysql', mongodb: 'mongodb' } as const;
const lensesEnabled = (spec: RealtimePlatformSpec): string =>
  String(spec.streamProcessing === 'lenses');

/**
 * The five secrets: the public contract between the platform and its applications. In `envFrom`
 * order; because keys never repeat across secrets, their order cannot change any value.
 */
export const secretCatalog = [
  {
    id: 'mqtt',
    suffix: 'mqtt-secret',
    prefix: 'MQTT_',
    description: 'MQTT broker connection (Mosquitto)',
    enabledWhen: { field: 'iot', equals: true },
    keys: [
      {
        key: 'MQTT_ENABLED',
        kind: 'setting',
        format: 'flag',
        value: mqttEnabled,
        description:
          '"true" when the platform runs MQTT (`iot: true`); "false" leaves only this key',
      },
      {
        key: 'MQTT_HOST',
        kind: 'endpoint',
        format: 'host',
        services: ['mqtt'],
        port: 'mqtt',
        description: 'broker host',
      },
      {
        key: 'MQTT_PORT',
        kind: 'endpoint',
        format: 'port',
        services: ['mqtt'],
        port: 'mqtt',
        description: 'MQTT over TCP port',
      },
      {
        key: 'MQTT_URL',
        kind: 'endpoint',
        format: 'url',
        scheme: 'mqtt',
        services: ['mqtt'],
        port: 'mqtt',
        description: 'MQTT over TCP URL (mqtt.js `connect(url)`)',
      },
      {
        key: 'MQTT_WS_PORT',
        kind: 'endpoint',
        format: 'port',
        services: ['mqtt'],
        port: 'websocket',
        description: 'MQTT over WebSockets port',
      },
      {
        key: 'MQTT_WS_URL',
        kind: 'endpoint',
        format: 'url',
        scheme: 'ws',
        path: '/mqtt',
        services: ['mqtt'],
        port: 'websocket',
        description: 'MQTT over WebSockets URL (Mosquitto accepts any path; `/mqtt` is customary)',
      },
      {
        key: 'MQTT_USERNAME',
        kind: 'credential',
        sensitive: false,
        description:
          "the applications' user (MQTT role `app`, generated): its own area `app/#` only; devices (`spec.mqttUsers`), the bridge and gateways have users of their own",
      },
      {
        key: 'MQTT_PASSWORD',
        kind: 'credential',
        sensitive: true,
        description: 'password of `MQTT_USERNAME`',
      },
    ],
  },
  {
    id: 'kafka',
    suffix: 'kafka-secret',
    prefix: 'KAFKA_',
    description:
      'Kafka cluster access: brokers, Schema Registry, Connect, with this application’s own SASL principal',
    keys: [
      {
        key: 'KAFKA_BOOTSTRAP_SERVERS',
        kind: 'endpoint',
        format: 'bootstrap',
        services: ['kafka'],
        port: 'kafka',
        description: 'comma-separated `host:port` list of the in-cluster SASL listener',
      },
      {
        key: 'KAFKA_SECURITY_PROTOCOL',
        kind: 'setting',
        format: 'enum',
        values: kafkaSecurityProtocols,
        value: () => 'SASL_PLAINTEXT',
        description:
          '`SASL_PLAINTEXT`, or `SASL_SSL` when the listener has TLS (certificates from a CA the client trusts)',
      },
      {
        key: 'KAFKA_SASL_MECHANISM',
        kind: 'setting',
        format: 'enum',
        values: [kafkaSaslMechanism],
        value: () => kafkaSaslMechanism,
        description: 'SASL mechanism of `KAFKA_USERNAME`',
      },
      {
        key: 'KAFKA_USERNAME',
        kind: 'credential',
        sensitive: false,
        description:
          'this workload’s Kafka principal (`app` for applications; each platform service has its own); ACLs allow it only what it needs',
      },
      {
        key: 'KAFKA_PASSWORD',
        kind: 'credential',
        sensitive: true,
        description:
          'password of `KAFKA_USERNAME` (also its Schema Registry login, as `basic.auth.credentials.source=SASL_INHERIT` does)',
      },
      {
        key: 'KAFKA_SCHEMA_REGISTRY_URL',
        kind: 'endpoint',
        format: 'url',
        scheme: 'http',
        services: ['schemaRegistry'],
        port: 'http',
        description: 'Schema Registry REST URL (Avro codec)',
      },
      {
        key: 'KAFKA_CONNECT_URL',
        kind: 'endpoint',
        format: 'url',
        scheme: 'http',
        services: ['kafkaConnect'],
        port: 'http',
        description: 'Kafka Connect REST URL',
      },
    ],
  },
  {
    id: 'db',
    suffix: 'db-secret',
    prefix: 'DB_',
    description:
      "the application database: PostgreSQL, MySQL or MongoDB (`spec.database`); the platform's own databases stay on PostgreSQL",
    keys: [
      {
        key: 'DB_TYPE',
        kind: 'setting',
        format: 'enum',
        values: databases,
        value: (spec) => spec.database,
        description: 'which engine: `postgres`, `mysql` or `mongodb` (`spec.database`)',
      },
      {
        key: 'DB_HOST',
        kind: 'endpoint',
        format: 'host',
        services: databaseServices,
        port: 'postgresql',
        portByService: databasePorts,
        description: 'database host (the Service of the engine `DB_TYPE` names)',
      },
      {
        key: 'DB_PORT',
        kind: 'endpoint',
        format: 'port',
        services: databaseServices,
        port: 'postgresql',
        portByService: databasePorts,
        description: "database port: the engine's default (5432, 3306, 27017)",
      },
      {
        key: 'DB_NAME',
        kind: 'setting',
        format: 'name',
        value: () => applicationDatabaseName,
        description: 'the application database (not the Lenses or Metabase ones)',
      },
      {
        key: 'DB_USER',
        kind: 'credential',
        sensitive: false,
        description:
          "the applications' user: may use `DB_NAME` only - create tables, indexes or collections there (its migrations) and use them; no other database, no user or database creation, never the administrator (PostgreSQL: not the database owner, and its superuser cannot log in over the network; MySQL: all privileges on `DB_NAME` alone; MongoDB: `readWrite` and `dbAdmin` on `DB_NAME`, authenticated against it)",
      },
      {
        key: 'DB_PASSWORD',
        kind: 'credential',
        sensitive: true,
        description: 'password of `DB_USER`',
      },
      {
        key: 'DB_URL',
        kind: 'connection',
        format: 'url',
        schemes: databaseUrlSchemes,
        description:
          'the same as one URL, user and password percent-encoded: `postgresql://`, `mysql://` or `mongodb://<user>:<password>@<host>:<port>/<name>` (MongoDB with `?authSource=<name>`); as sensitive as `DB_PASSWORD`',
      },
    ],
  },
  {
    id: 'metabase',
    suffix: 'metabase-secret',
    prefix: 'DASHBOARD_',
    description:
      'analytics dashboard access: Metabase, or Grafana with `visualization: grafana` (the secret keeps its name); a viewer login, never the admin',
    keys: [
      {
        key: 'DASHBOARD_TYPE',
        kind: 'setting',
        format: 'enum',
        values: ['metabase', 'grafana'],
        value: (spec) => spec.visualization,
        description: 'which dashboard runs: `metabase` or `grafana`',
      },
      {
        key: 'DASHBOARD_URL',
        kind: 'endpoint',
        format: 'url',
        scheme: 'http',
        services: ['metabase', 'grafana'],
        port: 'http',
        description: 'dashboard URL',
      },
      {
        key: 'DASHBOARD_USER',
        kind: 'credential',
        sensitive: false,
        description:
          'a viewer login without admin rights (Metabase: a user outside the Administrators group, an e-mail address; Grafana: an organisation Viewer); the dashboards query the database as a read-only role. The admin is in `{name}-metabase-admin-secret`, which applications never get',
      },
      {
        key: 'DASHBOARD_PASSWORD',
        kind: 'credential',
        sensitive: true,
        description: 'password of `DASHBOARD_USER`',
      },
    ],
  },
  {
    id: 'lenses',
    suffix: 'lenses-secret',
    prefix: 'LENSES_',
    description: 'Lenses HQ (stream processing UI): where it is',
    enabledWhen: { field: 'streamProcessing', equals: 'lenses' },
    keys: [
      {
        key: 'LENSES_ENABLED',
        kind: 'setting',
        format: 'flag',
        value: lensesEnabled,
        description:
          '"true" when Lenses runs (`streamProcessing: lenses`); "false" leaves only this key',
      },
      {
        key: 'LENSES_URL',
        kind: 'endpoint',
        format: 'url',
        scheme: 'http',
        services: ['lensesHq'],
        port: 'http',
        description:
          "Lenses HQ URL. No login: HQ is a UI for people, who sign in with their own HQ accounts; the administrator is in `{name}-lenses-hq-admin`, which only the platform's Jobs load",
      },
    ],
  },
] as const satisfies readonly SecretDefinition[];

type CatalogKey = (typeof secretCatalog)[number]['keys'][number];

/** Every key of every secret, as a union of string literals. */
export type SecretKey = CatalogKey['key'];
/** The keys that hold credentials: the input of `renderSecretData`. */
export type CredentialKey = Extract<CatalogKey, { kind: 'credential' }>['key'];

export const secretIds: readonly SecretId[] = secretCatalog.map((secret) => secret.id);

export function secretDefinition(id: SecretId): SecretDefinition {
  const found = (secretCatalog as readonly SecretDefinition[]).find((s) => s.id === id);
  if (found === undefined) throw new TypeError(`unknown secret id ${id}`);
  return found;
}

/** `{name}-mqtt-secret`, `{name}-kafka-secret`, … */
export function secretName(name: string, id: SecretId): string {
  return `${name}-${secretDefinition(id).suffix}`;
}

export const credentialKeys: readonly CredentialKey[] = secretCatalog.flatMap((secret) =>
  (secret.keys as readonly SecretKeyDefinition[])
    .filter((key) => key.kind === 'credential')
    .map((key) => key.key as CredentialKey),
);

/** True when `key` belongs to a platform secret's namespace of env vars (one of the prefixes). */
export function isPlatformSecretKey(key: string): boolean {
  return secretCatalog.some((secret) => key.startsWith(secret.prefix));
}
