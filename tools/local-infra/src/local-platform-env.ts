import {
  databaseUrl,
  type Database,
  type KafkaPrincipalId,
  type MqttRole,
} from '@realtime-platform/platform-contract';
import { generatePassword } from './credentials.js';
import type { FerretDbServer } from './ferretdb-server.js';
import type { KafkaBroker } from './kafka-broker.js';
import type { MariaDbServer } from './mariadb-server.js';
import type { MqttServer } from './mqtt-server.js';
import type { PostgresServer } from './postgres-server.js';
import type { SchemaRegistry } from './schema-registry.js';

export interface LocalPlatformServers {
  readonly kafka: KafkaBroker;
  readonly mqtt?: MqttServer;
  readonly postgres?: PostgresServer;
  /** The application database with `database: mysql` (MariaDB, the MySQL stand-in). */
  readonly mysql?: MariaDbServer;
  /** The application database with `database: mongodb` (FerretDB, MongoDB's wire protocol). */
  readonly mongodb?: FerretDbServer;
  readonly schemaRegistry?: SchemaRegistry;
  /** Where the local dashboard is served (the realtime service's page). */
  readonly dashboardUrl?: string;
}

/**
 * A URL on a port nothing listens on. The contract requires every key of an enabled secret; the
 * local platform runs no Kafka Connect (builtin stream processing does not need it) and maybe no
 * registry, so those keys get an address that fails fast instead of one that pretends to work.
 */
const UNSERVED_URL = 'http://127.0.0.1:9';

export interface LocalPlatformEnvOptions {
  /**
   * Whose Kafka credentials the kafka secret carries: `app` (default), the applications'
   * principal, or a platform service's own, as the chart gives each its principal's Secret.
   */
  readonly kafkaPrincipal?: KafkaPrincipalId;
  /**
   * Whose MQTT credentials the `MQTT_*` keys carry: `app` (default), the applications'
   * `{name}-mqtt-secret`; `bridge` or `gateway`, what the chart gives the mqtt-bridge
   * (`{name}-mqtt-bridge-secret`) or a gateway (`{name}-mqtt-gateway-secret`) in its place.
   */
  readonly mqttRole?: MqttRole;
  /**
   * The application database engine `{name}-db-secret` describes (default `postgres`): its keys
   * point at `servers.postgres`, `servers.mysql` or `servers.mongodb`.
   */
  readonly database?: Database;
}

/** The applications' database account on the engine's server, as the db secret carries it. */
function databaseEndpoint(
  servers: LocalPlatformServers,
  database: Database,
): { host: string; port: number; name: string; user: string; password: string } | undefined {
  const server =
    database === 'mysql'
      ? servers.mysql
      : database === 'mongodb'
        ? servers.mongodb
        : servers.postgres;
  if (server === undefined) return undefined;
  return {
    host: server.host,
    port: server.port,
    name: server.database,
    user: server.application.user,
    password: server.application.password,
  };
}

/**
 * The five platform secrets (as `envFrom` would inject them) for servers started on loopback:
 * what a service process needs to run against the local platform. Keys come from the contract's
 * secret catalog; a test checks this env passes `checkPlatformEnv`. The Kafka and MQTT keys carry
 * the credentials of `options.kafkaPrincipal` and `options.mqttRole` (the applications' ones unless
 * a platform service's own are asked for), as the chart gives each service its own Secrets.
 */
export function localPlatformEnv(
  servers: LocalPlatformServers,
  options: LocalPlatformEnvOptions = {},
): Readonly<Record<string, string>> {
  const { kafka, mqtt, schemaRegistry } = servers;
  const env: Record<string, string> = {
    ...kafka.kafkaSecret(options.kafkaPrincipal ?? 'app'),
    KAFKA_SCHEMA_REGISTRY_URL: schemaRegistry?.url ?? UNSERVED_URL,
    KAFKA_CONNECT_URL: UNSERVED_URL,
    MQTT_ENABLED: String(mqtt !== undefined),
    DASHBOARD_TYPE: 'grafana',
    DASHBOARD_URL: servers.dashboardUrl ?? UNSERVED_URL,
    DASHBOARD_USER: 'local',
    // No dashboard server runs locally with a login; a fresh password keeps the key honest.
    DASHBOARD_PASSWORD: generatePassword(),
    LENSES_ENABLED: 'false',
  };
  if (mqtt !== undefined) {
    const user = mqtt.credentials[options.mqttRole ?? 'app'];
    Object.assign(env, {
      MQTT_HOST: mqtt.host,
      MQTT_PORT: String(mqtt.mqttPort),
      MQTT_URL: mqtt.mqttUrl,
      MQTT_WS_PORT: String(mqtt.wsPort),
      MQTT_WS_URL: mqtt.wsUrl,
      MQTT_USERNAME: user.username,
      MQTT_PASSWORD: user.password,
    });
  }
  // The contract has no "disabled" flag for the database: without a server the keys point nowhere.
  const type = options.database ?? 'postgres';
  const db = databaseEndpoint(servers, type) ?? {
    host: '127.0.0.1',
    port: 9,
    name: 'rtp',
    user: 'app_local',
    password: generatePassword(),
  };
  Object.assign(env, {
    DB_TYPE: type,
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_NAME: db.name,
    // The applications' account, never the administrator (as the chart's {name}-db-secret).
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_URL: databaseUrl(type, { ...db, port: String(db.port), database: db.name }),
  });
  return env;
}
