import type { ContractErrorKey } from './contract.errors.js';

/** One line per error code for the README table; the type makes a missing entry a compile error. */
export const contractErrorDocs: Readonly<Record<ContractErrorKey, string>> = {
  CLAIM_INVALID: '`parseClaimSpec` / `describePlatform`: the claim has problems, one per line',
  CLAIM_FIELD_REQUIRED: 'a required field (`spec.name`, `topics[].name`, …) is missing',
  CLAIM_FIELD_TYPE: 'a field has the wrong type',
  CLAIM_FIELD_UNKNOWN: 'a field the schema does not know (a typo)',
  CLAIM_FIELD_NOT_ALLOWED: 'a value outside the allowed ones (`database: oracle`)',
  CLAIM_FIELD_NOT_IMPLEMENTED:
    'a value the requirements plan but no chart implements yet (none today)',
  CLAIM_FIELD_PATTERN: 'a string that does not match its pattern (`dataRetention: 7x`)',
  CLAIM_FIELD_LENGTH: 'a string too long or too short (`name` over the budget)',
  CLAIM_FIELD_TOO_FEW: 'a number below its minimum (`scaling.minReplicas: 0`)',
  CLAIM_FIELD_TOO_MANY_ITEMS: 'a list longer than allowed (`topics`)',
  CLAIM_FIELD_DUPLICATE:
    'two list entries with the same key (`topics[].name`, `mqttUsers[].username`)',
  CLAIM_SCALING_MIN_ABOVE_MAX: '`scaling.minReplicas` above `scaling.maxReplicas`',
  CLAIM_MQTT_USERS_WITHOUT_IOT: '`mqttUsers` given with `iot: false`',
  CLAIM_DASHBOARD_CANNOT_READ_DATABASE:
    '`visualization: grafana` with `database: mongodb`: Grafana (open source) has no MongoDB data source',
  CLAIM_MQTT_PASSWORD_INLINE:
    '`mqttUsers[].password` given in clear (the old form): the password belongs in a Secret, named by `passwordSecretRef`',
  CLAIM_SNOWFLAKE_SECRET_MISSING: '`snowflake.enabled: true` without `snowflake.credentialsSecret`',
  CLAIM_TOPIC_NAME_RESERVED: 'a declared topic ending in `.dlq`',
  CLAIM_RETENTION_TOO_LONG: 'a retention beyond what milliseconds can hold',
  RETENTION_MALFORMED: '`retentionToMs` got something other than `^[0-9]+[dwm]$`',
  RETENTION_TOO_LONG: '`retentionToMs` result beyond `Number.MAX_SAFE_INTEGER`',
  NAMESPACE_INVALID: '`describePlatform` namespace is not a DNS-1123 label',
  CLUSTER_DOMAIN_INVALID: '`describePlatform` cluster domain is not a DNS name',
  CREDENTIAL_MISSING: '`renderSecretData`: an enabled secret needs a credential that was not given',
  CREDENTIAL_UNKNOWN: '`renderSecretData`: a credential key that no secret has',
  ENV_INVALID: '`parsePlatformEnv`: the env lacks keys or has malformed ones, one per line',
  ENV_KEY_MISSING: 'a key of a secret is not in the env (names secret and key)',
  MQTT_USERNAME_INVALID:
    '`renderMosquittoAcl`: a user name with `:` or white space, or a device name that is no single topic level',
  ENV_KEY_MALFORMED: 'a key has a malformed value (names secret and key; credentials not echoed)',
};
