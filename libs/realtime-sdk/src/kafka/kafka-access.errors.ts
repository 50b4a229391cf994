import type { RealtimePlatformError } from '@realtime-platform/errors';
import {
  kafkaPrincipalCatalog,
  parseClaimSpec,
  type KafkaAclGrant,
  type KafkaConnection,
} from '@realtime-platform/platform-contract';
import { sdkErrors } from '../sdk.errors.js';

/** How the bus logs in: the kafka secret's SASL keys (`kafkaBusSecurity(config.platform.kafka)`). */
export interface KafkaBusSecurity {
  readonly protocol: KafkaConnection['securityProtocol'];
  readonly mechanism: KafkaConnection['saslMechanism'];
  readonly username: string;
  readonly password: string;
}

/** The SASL part of a kafka secret, as the bus takes it. */
export function kafkaBusSecurity(connection: KafkaConnection): KafkaBusSecurity {
  return {
    protocol: connection.securityProtocol,
    mechanism: connection.saslMechanism,
    username: connection.username,
    password: connection.password,
  };
}

/** What the SDK reads of a kafkajs error, or of a @platformatic/kafka one (`code`, `apiId`). */
interface KafkajsErrorShape {
  readonly name?: string;
  readonly type?: string;
  /** @platformatic/kafka: `PLT_KFK_*`; its protocol errors keep Kafka's error name in `apiId`. */
  readonly code?: unknown;
  readonly apiId?: unknown;
  readonly message?: string;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly errors?: readonly unknown[];
}

/** The errors inside a client error: its `cause`, `originalError` and an aggregate's `errors`. */
function* chain(error: unknown, depth = 0): Generator<KafkajsErrorShape> {
  if (error === null || typeof error !== 'object' || depth > 8) return;
  const shape = error as KafkajsErrorShape;
  yield shape;
  yield* chain(shape.cause, depth + 1);
  yield* chain(shape.originalError, depth + 1);
  for (const inner of shape.errors ?? []) yield* chain(inner, depth + 1);
}

/** Kafka's protocol error names (kafkajs keeps them in `type`) for authentication and authorization. */
const authenticationTypes = new Set(['SASL_AUTHENTICATION_FAILED', 'ILLEGAL_SASL_STATE']);
const authorizationTypes = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

export type KafkaAccessProblem =
  | { readonly kind: 'authentication'; readonly reason: string }
  | { readonly kind: 'authorization'; readonly type: string; readonly reason: string };

/**
 * Whether a client error (kafkajs or @platformatic/kafka) is the broker refusing who we are or what
 * we asked, found anywhere in its cause chain. Neither client marks these reliably non-retriable (a
 * refused produce comes wrapped in KafkaJSNonRetriableError, a refused login as
 * KafkaJSSASLAuthenticationError or PLT_KFK_AUTHENTICATION), so the SDK looks for Kafka's own
 * error names; neither gets better by retrying.
 */
export function kafkaAccessProblem(error: unknown): KafkaAccessProblem | undefined {
  for (const link of chain(error)) {
    const kafkaName =
      typeof link.apiId === 'string' ? link.apiId : typeof link.type === 'string' ? link.type : '';
    if (
      link.name === 'KafkaJSSASLAuthenticationError' ||
      link.code === 'PLT_KFK_AUTHENTICATION' ||
      authenticationTypes.has(kafkaName)
    ) {
      return { kind: 'authentication', reason: link.message ?? kafkaName };
    }
    if (authorizationTypes.has(kafkaName)) {
      return { kind: 'authorization', type: kafkaName, reason: link.message ?? '' };
    }
  }
  return undefined;
}

/**
 * The coded error for a refused login or operation, or undefined when `error` is something else.
 * `operation` and `resource` say what was asked ("write", "topic device_data").
 */
export function kafkaAccessError(
  error: unknown,
  context: { brokers: readonly string[]; username: string; operation: string; resource: string },
): RealtimePlatformError | undefined {
  const problem = kafkaAccessProblem(error);
  if (problem === undefined) return undefined;
  if (problem.kind === 'authentication') {
    return sdkErrors.KAFKA_AUTH_FAILED(
      { brokers: context.brokers, username: context.username, reason: problem.reason },
      { cause: error },
    );
  }
  return sdkErrors.KAFKA_NOT_AUTHORIZED(
    {
      username: context.username,
      operation: context.operation,
      resource: context.resource,
      reason: `${problem.type}: ${problem.reason}`,
    },
    { cause: error },
  );
}

const matches = (grant: KafkaAclGrant, groupId: string): boolean =>
  grant.resourceType === 'GROUP' &&
  (grant.patternType === 'PREFIXED'
    ? groupId.startsWith(grant.resourceName)
    : grant.resourceName === '*' || grant.resourceName === groupId);

/**
 * Whether the platform contract lets `username` use consumer group `groupId` (a DENY wins), or
 * undefined for a principal the contract does not know. Group grants do not depend on the claim,
 * so the SDK can say "not authorized" before kafkajs reports a refused group only as "Failed to
 * find group coordinator"; the broker's ACLs remain what enforces it.
 */
export function contractAllowsGroup(username: string, groupId: string): boolean | undefined {
  const principal = kafkaPrincipalCatalog.find((candidate) => candidate.username === username);
  if (principal === undefined) return undefined;
  if (principal.superUser) return true;
  // Group grants are the same for every claim: the default claim lists them.
  const grants = principal.grants(parseClaimSpec({ name: 'any' }));
  const applying = grants.filter((grant) => matches(grant, groupId));
  if (applying.some((grant) => grant.permission === 'DENY')) return false;
  return applying.some((grant) => grant.permission === 'ALLOW');
}
