import kafkajs from 'kafkajs';
import type { KafkaAcl } from '@realtime-platform/platform-contract';

/** A principal's SASL login. */
export interface KafkaCredentials {
  readonly username: string;
  readonly password: string;
}

/** The JAAS line a Java client or the broker logs in with. */
export const jaas = (
  module: 'scram.ScramLoginModule' | 'plain.PlainLoginModule',
  login: KafkaCredentials,
  extra = '',
) =>
  `org.apache.kafka.common.security.${module} required username="${login.username}" password="${login.password}"${extra};`;

/** log4j settings of every local Kafka server (broker or controller). */
export const KAFKA_LOG4J = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  // The request logger and state-change chatter drown the useful lines.
  'log4j.logger.kafka.request.logger=WARN',
  'log4j.logger.state.change.logger=WARN',
  'log4j.logger.kafka.controller=WARN',
].join('\n');

// kafkajs is CommonJS: Node's ESM loader does not see these as named exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const aclEnum = {
  resourceType: {
    TOPIC: AclResourceTypes.TOPIC,
    GROUP: AclResourceTypes.GROUP,
    CLUSTER: AclResourceTypes.CLUSTER,
  },
  patternType: { LITERAL: ResourcePatternTypes.LITERAL, PREFIXED: ResourcePatternTypes.PREFIXED },
  operation: {
    ALL: AclOperationTypes.ALL,
    READ: AclOperationTypes.READ,
    WRITE: AclOperationTypes.WRITE,
    CREATE: AclOperationTypes.CREATE,
    DELETE: AclOperationTypes.DELETE,
    DESCRIBE: AclOperationTypes.DESCRIBE,
    DESCRIBE_CONFIGS: AclOperationTypes.DESCRIBE_CONFIGS,
  },
  permission: { ALLOW: AclPermissionTypes.ALLOW, DENY: AclPermissionTypes.DENY },
} as const;

/** A contract ACL as kafkajs's createAcls takes it. */
export function kafkajsAcl(acl: KafkaAcl) {
  return {
    resourceType: aclEnum.resourceType[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: aclEnum.patternType[acl.patternType],
    principal: acl.principal,
    host: acl.host,
    operation: aclEnum.operation[acl.operation],
    permissionType: aclEnum.permission[acl.permission],
  };
}
