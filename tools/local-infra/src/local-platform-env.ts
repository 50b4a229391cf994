import type { KafkaPrincipalId, MqttRole } from '@realtime-platform/platform-contract';
import { generatePassword } from './credentials.js';
import type { KafkaBroker } from './kafka-broker.js';
import type { MqttServer } from './mqtt-server.js';
import type { PostgresServer } from './postgres-server.js';
import type { SchemaRegistry } from './schema-registry.js';

export interface LocalPlatformServers {
  readonly kafka: KafkaBroker;
  readonly mqtt?: MqttServer;
  readonly postgres?: PostgresServer;
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
  const { kafka, mqtt, postgres, schemaRegistry } = servers;
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
  Object.assign(env, {
    DB_HOST: postgres?.host ?? '127.0.0.1',
    DB_PORT: String(postgres?.port ?? 9),
    DB_NAME: postgres?.database ?? 'rtp',
    // The applications' role, never the superuser (as the chart's {name}-db-secret).
    DB_USER: postgres?.application.user ?? 'app_local',
    DB_PASSWORD: postgres?.application.password ?? generatePassword(),
  });
  return env;
}
