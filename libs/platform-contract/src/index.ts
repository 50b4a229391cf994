// Errors
export { contractErrors, type ContractErrorKey } from './contract.errors.js';
export { contractErrorDocs } from './contract.error-docs.js';

// Claim: schema, validation, types
export {
  databases,
  visualizations,
  streamProcessors,
  conditionHolds,
  describeCondition,
  type Database,
  type Visualization,
  type StreamProcessing,
  type MqttUser,
  type SecretKeyReference,
  type ScalingSpec,
  type KafkaBrokerCount,
  type SnowflakeSpec,
  type TopicDeclaration,
  type RealtimePlatformSpec,
  type RealtimePlatformSpecInput,
  type SpecCondition,
} from './claim/claim.types.js';
export {
  claimSpecSchema,
  claimCelRules,
  secretNamePattern,
  secretKeyPattern,
  mqttUsernamePattern,
  maxDeclaredTopics,
  type ClaimJsonSchema,
  type CelRule,
} from './claim/claim.schema.js';
export {
  validateClaimSpec,
  parseClaimSpec,
  claimPatternHints,
  type ClaimValidationResult,
} from './claim/claim.validator.js';
export { retentionToMs, retentionPattern, retentionUnitMs } from './claim/retention.converter.js';

// Names
export {
  platformNamePattern,
  maxPlatformNameLength,
  nameBudget,
  claimResourceName,
  claimResourceSuffix,
  type NameBudgetEntry,
} from './naming/platform-name.rules.js';

// Services and databases
export {
  serviceCatalog,
  serviceDefinition,
  servicePort,
  type ServiceDefinition,
  type ServicePortDefinition,
  type ServiceId,
} from './services/service.catalog.js';
export {
  databaseCatalog,
  databaseEngineCatalog,
  databaseUrl,
  type DatabaseDefinition,
  type DatabaseEngineDefinition,
} from './services/database.catalog.js';

// Secrets
export {
  secretCatalog,
  secretIds,
  secretDefinition,
  secretName,
  credentialKeys,
  isPlatformSecretKey,
  applicationDatabaseName,
  endpointPortName,
  type SecretId,
  type SecretKey,
  type CredentialKey,
  type SecretDefinition,
  type SecretKeyDefinition,
  type EndpointKeyDefinition,
  type CredentialKeyDefinition,
  type SettingKeyDefinition,
  type ConnectionKeyDefinition,
} from './secrets/secret.catalog.js';
export {
  renderSecretData,
  renderConnectionUrl,
  resolveEndpoint,
  credentialsFromClaim,
  renderKafkaPrincipalSecret,
  type KafkaPrincipalCredentials,
  type PlatformCredentials,
  type RenderedSecret,
  type ResolvedEndpoint,
} from './secrets/secret-data.renderer.js';
export {
  checkPlatformEnv,
  parsePlatformEnv,
  type PlatformConnections,
  type MqttConnection,
  type KafkaConnection,
  type DatabaseConnection,
  type DashboardConnection,
  type LensesConnection,
  type EnvCheckResult,
  type EnvParseOptions,
  type PlatformEnv,
} from './secrets/secret-env.parser.js';
export {
  platformSecretCatalog,
  platformSecretName,
  databaseSuperuser,
  type PlatformSecretDefinition,
} from './secrets/platform-secret.catalog.js';
export {
  snowflakeCredentialKeys,
  type SnowflakeCredentialKey,
} from './secrets/snowflake-credentials.catalog.js';

// Runtime (non-secret) environment variables of platform services
export {
  runtimeEnv,
  runtimeEnvPrefix,
  runtimeEnvCatalog,
  runtimeEnvDefault,
  runtimeEnvSetBy,
  type RuntimeEnvName,
  type SdkRuntimeEnvName,
  type RuntimeEnvReader,
  type RuntimeEnvSetter,
  type RuntimeEnvVariable,
} from './runtime/runtime-env.catalog.js';

// Kafka principals and their ACLs
export {
  kafkaPrincipalCatalog,
  kafkaPrincipal,
  kafkaPrincipalSecretName,
  kafkaSaslMechanism,
  kafkaSecurityProtocols,
  applicationTopics,
  reservedGroupPrefixes,
  streamProcessorGroupPrefix,
  connectGroupPrefix,
  connectTopicPrefix,
  schemaRegistryStoreTopic,
  schemaRegistryGroupPrefix,
  type KafkaPrincipalId,
  type KafkaPrincipalDefinition,
  type KafkaAclGrant,
  type KafkaAclOperation,
  type KafkaAclPatternType,
  type KafkaAclPermission,
  type KafkaAclResourceType,
  type KafkaSecurityProtocol,
  type SchemaRegistryAccess,
} from './kafka-access/kafka-principal.catalog.js';
export {
  planKafkaAccess,
  kafkaSuperUsers,
  kafkaUserPrincipal,
  kafkaAclLine,
  type KafkaAcl,
  type PlannedKafkaPrincipal,
} from './kafka-access/kafka-access.plan.js';
// MQTT: who may do what on the broker, and the broker's shared settings
export {
  mqttRoleCatalog,
  mqttRoles,
  mqttRoleDefinition,
  deviceAclRules,
  deviceReadingsFilter,
  deviceReadingsTopic,
  deviceIdOfTopic,
  appMqttTopicRoot,
  mqttUsernameProblem,
  mqttAclRules,
  renderMosquittoAcl,
  mqttTopicMatchesFilter,
  mqttAccessAllows,
  type MqttRole,
  type MqttAccess,
  type MqttAclRule,
  type MqttRoleDefinition,
  type MqttIdentity,
} from './mqtt/mqtt-access.catalog.js';
export {
  mqttOutagePlan,
  mosquittoBrokerSettings,
  mosquittoSettingsConf,
  mosquittoBytesPerQueuedReading,
  mqttTlsPort,
  type MqttOutagePlan,
  type MosquittoBrokerSettings,
} from './mqtt/mosquitto-broker.settings.js';

// Topics
export {
  defaultTopicCatalog,
  defaultTopicPartitions,
  dlqTopicPartitions,
  dlqSuffix,
  dlqTopicName,
  topicNamePattern,
  maxTopicNameLength,
  deviceMqttTopic,
  deviceDataTopic,
  alertsTopic,
  vitalTopics,
  type TopicDefinition,
  type TopicRole,
} from './topics/topic.catalog.js';
export { planTopics, type PlannedTopic } from './topics/topic.plan.js';

// The platform model
export {
  describePlatform,
  findService,
  serviceHost,
  secretEnvFrom,
  defaultClusterDomain,
  type PlatformInput,
  type PlatformModel,
  type PlatformService,
  type PlatformSecret,
} from './platform/platform.model.js';
export {
  platformStatusFields,
  statusSecretFields,
  statusEndpointFields,
  type PlatformStatusFields,
} from './platform/platform.status.js';

// Kafka brokers: count, replication, broker hosts
export {
  kafkaBrokerCounts,
  defaultKafkaBrokers,
  kafkaHeadlessServiceSuffix,
  kafkaBrokerStatefulSetSuffix,
  kafkaReplicationSettings,
  kafkaTopicReplicationFactor,
  kafkaBrokerPodHosts,
  kafkaControllerCount,
  kafkaControllerNodeIdBase,
  kafkaControllerSuffix,
  kafkaClusterPorts,
} from './kafka-cluster/kafka-cluster.settings.js';
