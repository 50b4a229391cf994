export { generateMqttRoleUsers, generatePassword, generateUsername } from './credentials.js';
export { EmbeddedMqttBroker } from './embedded-mqtt-broker.js';
export { eventually, pollUntil, type EventuallyOptions } from './eventually.js';
export { freePort } from './free-port.js';
export { isListening } from './port-listening.js';
export { JmxExporter, type JmxExporterOptions } from './jmx-exporter.js';
export { KafkaBroker, newClusterId, type KafkaBrokerOptions } from './kafka-broker.js';
export { KafkaCluster, type KafkaClusterOptions } from './kafka-cluster.js';
export type { KafkaCredentials } from './kafka-server-settings.js';
export { localInfraErrors } from './local-infra-errors.js';
export { logTail } from './log-tail.js';
export {
  ManagedProcess,
  runToCompletion,
  type ManagedProcessOptions,
  type ProcessExit,
} from './managed-process.js';
export {
  localPlatformEnv,
  type LocalPlatformEnvOptions,
  type LocalPlatformServers,
} from './local-platform-env.js';
export { ContainerService, type ContainerServiceOptions } from './container-service.js';
export { NodeService, type NodeServiceOptions } from './node-service.js';
export {
  ServiceProcess,
  type ServiceLaunch,
  type ServiceProcessOptions,
} from './service-process.js';
export { MosquittoBroker, type MosquittoBrokerOptions, type MqttUser } from './mosquitto-broker.js';
export type { MqttServer } from './mqtt-server.js';
export { PostgresServer, type PostgresServerOptions } from './postgres-server.js';
export { MariaDbServer, type MariaDbAccount, type MariaDbServerOptions } from './mariadb-server.js';
export {
  FerretDbServer,
  type FerretDbServerOptions,
  type MongoAccount,
} from './ferretdb-server.js';
export {
  PrometheusServer,
  type PrometheusAlert,
  type PrometheusSample,
  type PrometheusServerOptions,
  type ScrapeTarget,
} from './prometheus-server.js';
export { MemoryCgroup, type MemoryCgroupStats } from './memory-cgroup.js';
export { makeRunDir } from './run-dir.js';
export {
  CONFLUENT_COMPAT_PATH,
  SchemaRegistry,
  schemaRegistryAuthProperties,
  type SchemaRegistryOptions,
  type SchemaRegistryUser,
} from './schema-registry.js';
export { generateTlsFiles, type TlsFiles } from './tls-certificates.js';
export { waitUntilReady, type ReadinessOptions } from './wait-until-ready.js';
