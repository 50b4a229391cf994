import { defineErrors } from '@realtime-platform/errors';

/**
 * Every error this package throws or returns. Codes are `RTP_ERR_CONTRACT_<KEY>`; the README's
 * error table is generated from this table and a test keeps the two in step.
 *
 * Claim errors always carry `path` (e.g. `spec.dataRetention`); secret and env errors always carry
 * `secret` and `key`. No message ever contains a credential's value.
 */
export const contractErrors = defineErrors('RTP_ERR_CONTRACT', {
  /** Thrown by `parseClaimSpec`: one line per problem; the single problems are in `cause`. */
  CLAIM_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `the realtime platform claim is invalid:\n  - ${p.problems.join('\n  - ')}`,
  },
  CLAIM_FIELD_REQUIRED: {
    message: (p: { path: string }) => `${p.path} is required`,
  },
  CLAIM_FIELD_TYPE: {
    message: (p: { path: string; expected: string; actual: string }) =>
      `${p.path} must be ${p.expected}, got ${p.actual}`,
  },
  CLAIM_FIELD_UNKNOWN: {
    message: (p: { path: string; allowed: readonly string[] }) =>
      `${p.path} is not a known field (known here: ${p.allowed.join(', ')})`,
  },
  CLAIM_FIELD_NOT_ALLOWED: {
    message: (p: { path: string; value: unknown; allowed: readonly unknown[] }) =>
      `${p.path} must be one of ${p.allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(p.value)}`,
  },
  /** A value the requirements name but the charts do not implement yet (none today; see claim.validator's plannedValues). */
  CLAIM_FIELD_NOT_IMPLEMENTED: {
    message: (p: { path: string; value: unknown; implemented: readonly unknown[] }) =>
      `${p.path}: ${JSON.stringify(p.value)} is planned but not implemented yet; use ${p.implemented
        .map((v) => JSON.stringify(v))
        .join(' or ')}`,
  },
  CLAIM_FIELD_PATTERN: {
    message: (p: { path: string; value: string; pattern: string; hint: string }) =>
      `${p.path} must be ${p.hint} (pattern ${p.pattern}), got ${JSON.stringify(p.value)}`,
  },
  CLAIM_FIELD_LENGTH: {
    message: (p: { path: string; length: number; limit: number; bound: 'at most' | 'at least' }) =>
      `${p.path} must be ${p.bound} ${p.limit} characters long, got ${p.length}`,
  },
  CLAIM_FIELD_TOO_FEW: {
    message: (p: { path: string; value: number; minimum: number }) =>
      `${p.path} must be at least ${p.minimum}, got ${p.value}`,
  },
  CLAIM_FIELD_TOO_MANY_ITEMS: {
    message: (p: { path: string; count: number; limit: number }) =>
      `${p.path} may hold at most ${p.limit} entries, got ${p.count}`,
  },
  CLAIM_FIELD_DUPLICATE: {
    message: (p: { path: string; value: string; firstPath: string }) =>
      `${p.path} repeats ${JSON.stringify(p.value)}, already given at ${p.firstPath}`,
  },
  CLAIM_SCALING_MIN_ABOVE_MAX: {
    message: (p: { path: string; minReplicas: number; maxReplicas: number }) =>
      `${p.path} (${p.minReplicas}) must not exceed spec.scaling.maxReplicas (${p.maxReplicas})`,
  },
  CLAIM_MQTT_USERS_WITHOUT_IOT: {
    message: (p: { path: string }) =>
      `${p.path} needs spec.iot: true (with iot: false there is no MQTT broker to create them on)`,
  },
  CLAIM_DASHBOARD_CANNOT_READ_DATABASE: {
    message: (p: { path: string; visualization: string; database: string }) =>
      `${p.path}: ${p.visualization} cannot read spec.database: ${p.database} (Grafana has no MongoDB data source outside its Enterprise edition); use visualization: metabase, or database: postgres or mysql`,
  },
  CLAIM_MQTT_PASSWORD_INLINE: {
    message: (p: { path: string }) =>
      `${p.path} is refused: a device password in the claim travels in clear into the Release values and the Application revisions; put it in a Secret of the claim's namespace and give passwordSecretRef: {name, key}`,
  },
  CLAIM_SNOWFLAKE_SECRET_MISSING: {
    message: (p: { path: string }) =>
      `${p.path} is required when spec.snowflake.enabled is true (the Secret holding the Snowflake key pair)`,
  },
  CLAIM_TOPIC_NAME_RESERVED: {
    message: (p: { path: string; value: string }) =>
      `${p.path} ${JSON.stringify(p.value)} ends with ".dlq", which is reserved for dead-letter topics`,
  },
  CLAIM_RETENTION_TOO_LONG: {
    message: (p: { path: string; value: string }) =>
      `${p.path} ${JSON.stringify(p.value)} is too long to express in milliseconds`,
  },
  RETENTION_MALFORMED: {
    message: (p: { value: string }) =>
      `retention ${JSON.stringify(p.value)} must be a number followed by d, w or m (e.g. 7d)`,
  },
  RETENTION_TOO_LONG: {
    message: (p: { value: string }) =>
      `retention ${JSON.stringify(p.value)} is too long to express in milliseconds`,
  },
  NAMESPACE_INVALID: {
    message: (p: { namespace: string }) =>
      `namespace ${JSON.stringify(p.namespace)} must be a DNS-1123 label of at most 63 characters`,
  },
  CLUSTER_DOMAIN_INVALID: {
    message: (p: { clusterDomain: string }) =>
      `cluster domain ${JSON.stringify(p.clusterDomain)} must be a DNS name such as cluster.local`,
  },
  /** `renderSecretData` was not given a credential an enabled secret needs (never defaulted). */
  CREDENTIAL_MISSING: {
    message: (p: { secret: string; key: string }) =>
      `${p.secret}: credential ${p.key} was not provided (credentials are generated by the caller, never defaulted)`,
  },
  CREDENTIAL_UNKNOWN: {
    message: (p: { key: string; known: readonly string[] }) =>
      `${p.key} is not a credential of any platform secret (known: ${p.known.join(', ')})`,
  },
  /** Thrown by `parsePlatformEnv`: one line per problem; the single problems are in `cause`. */
  ENV_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `the platform secrets in the environment are incomplete or malformed:\n  - ${p.problems.join('\n  - ')}`,
  },
  ENV_KEY_MISSING: {
    message: (p: { secret: string; key: string }) =>
      `${p.secret}: ${p.key} is missing (is the secret injected with envFrom?)`,
  },
  /** `renderMosquittoAcl`: a user name Mosquitto's password or ACL file (or a topic) cannot hold. */
  MQTT_USERNAME_INVALID: {
    message: (p: { username: string; problem: string }) =>
      `MQTT user name ${JSON.stringify(p.username)} ${p.problem}`,
  },
  ENV_KEY_MALFORMED: {
    message: (p: { secret: string; key: string; expected: string; value?: string }) =>
      `${p.secret}: ${p.key} must be ${p.expected}` +
      (p.value === undefined ? '' : `, got ${JSON.stringify(p.value)}`),
  },
});

export type ContractErrorKey = keyof typeof contractErrors;
