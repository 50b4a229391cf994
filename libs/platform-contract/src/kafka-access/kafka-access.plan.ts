import { conditionHolds, type RealtimePlatformSpec } from '../claim/claim.types.js';
import {
  kafkaPrincipalCatalog,
  type KafkaAclOperation,
  type KafkaAclPatternType,
  type KafkaAclPermission,
  type KafkaAclResourceType,
  type KafkaPrincipalId,
  type SchemaRegistryAccess,
} from './kafka-principal.catalog.js';

/** One Kafka ACL binding, as `kafka-acls --add` or an Admin `createAcls` takes it. */
export interface KafkaAcl {
  /** `User:<username>` */
  readonly principal: string;
  readonly resourceType: KafkaAclResourceType;
  readonly patternType: KafkaAclPatternType;
  readonly resourceName: string;
  readonly operation: KafkaAclOperation;
  readonly permission: KafkaAclPermission;
  /** Always `*`: pods have no stable addresses; the credential is the identity. */
  readonly host: '*';
}

export interface PlannedKafkaPrincipal {
  readonly id: KafkaPrincipalId;
  readonly username: string;
  readonly secretSuffix: string;
  readonly superUser: boolean;
  readonly schemaRegistry: SchemaRegistryAccess;
  readonly acls: readonly KafkaAcl[];
}

/** `User:<username>`: how Kafka names a SASL principal in ACLs and `super.users`. */
export const kafkaUserPrincipal = (username: string): string => `User:${username}`;

/**
 * The principals a platform runs (in catalog order) and their ACLs, one per operation, in a
 * stable order. Super users have no ACLs: `super.users` lists them.
 */
export function planKafkaAccess(spec: RealtimePlatformSpec): PlannedKafkaPrincipal[] {
  return kafkaPrincipalCatalog
    .filter((principal) => conditionHolds(principal.enabledWhen, spec))
    .map((principal) => ({
      id: principal.id,
      username: principal.username,
      secretSuffix: principal.secretSuffix,
      superUser: principal.superUser,
      schemaRegistry: principal.schemaRegistry,
      acls: principal.grants(spec).flatMap((grant) =>
        grant.operations.map((operation): KafkaAcl => ({
          principal: kafkaUserPrincipal(principal.username),
          resourceType: grant.resourceType,
          patternType: grant.patternType,
          resourceName: grant.resourceName,
          operation,
          permission: grant.permission,
          host: '*',
        })),
      ),
    }));
}

/** `super.users` of the brokers: `User:a;User:b`. */
export function kafkaSuperUsers(spec: RealtimePlatformSpec): string {
  return planKafkaAccess(spec)
    .filter((principal) => principal.superUser)
    .map((principal) => kafkaUserPrincipal(principal.username))
    .join(';');
}

/**
 * One ACL as a line of the chart's ACL file: `<principal> <permission> <operation> <resourceType>
 * <patternType> <resourceName>` (names never contain spaces). The provisioning script turns each
 * line into `kafka-acls --add`; a chart test compares the rendered file with these lines.
 */
export function kafkaAclLine(acl: KafkaAcl): string {
  return [
    acl.principal,
    acl.permission,
    acl.operation,
    acl.resourceType,
    acl.patternType,
    acl.resourceName,
  ].join(' ');
}
