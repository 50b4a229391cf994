import { defineErrors } from '@realtime-platform/errors';

/**
 * Every error the SDK throws on purpose, one coded table (`RTP_ERR_SDK_<AREA>_<PROBLEM>`), as
 * fastify's `FST_ERR_*`. `retriable` is false unless a retry of the same operation can succeed
 * (a broker that is away, a registry that timed out); the Kafka consumer's retry reads only that
 * flag. The README's error table is checked against `sdkErrorDocs` by a test.
 */
export const sdkErrors = defineErrors('RTP_ERR_SDK', {
  // options and config
  OPTIONS_INVALID: {
    message: (p: { component: string; problems: readonly string[] }) =>
      `invalid ${p.component} options:\n  - ${p.problems.join('\n  - ')}`,
  },
  CONFIG_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `the realtime SDK configuration is invalid:\n  - ${p.problems.join('\n  - ')}`,
  },
  CONFIG_VAR_MISSING: {
    message: (p: { variable: string; hint: string }) => `${p.variable} is not set: ${p.hint}`,
  },
  CONFIG_VAR_MALFORMED: {
    message: (p: { variable: string; expected: string; value?: string }) =>
      `${p.variable} must be ${p.expected}${p.value === undefined ? '' : `, got ${JSON.stringify(p.value)}`}`,
  },
  CONFIG_SECRETS_DIR_UNREADABLE: {
    message: (p: { path: string; reason: string }) =>
      `cannot read the secrets directory ${p.path}: ${p.reason}`,
  },
  CONFIG_WS_AUTH_UNSAFE: {
    message: (p: { reason: string }) => `unsafe WebSocket authentication settings: ${p.reason}`,
  },
  CONFIG_SECRETS_DIR_AMBIGUOUS: {
    message: (p: { path: string; secret: string; candidates: readonly string[] }) =>
      `${p.path} holds several ${p.secret} directories (${p.candidates.join(', ')}); set RTP_PLATFORM_NAME`,
  },
  // Kafka
  KAFKA_NOT_STARTED: {
    message: (p: { operation: string }) => `${p.operation}: the message bus is not connected`,
  },
  KAFKA_UNREACHABLE: {
    message: (p: { brokers: readonly string[]; reason: string }) =>
      `Kafka brokers ${p.brokers.join(',')} are unreachable: ${p.reason}`,
    retriable: true,
  },
  KAFKA_AUTH_FAILED: {
    message: (p: { brokers: readonly string[]; username: string; reason: string }) =>
      `Kafka brokers ${p.brokers.join(',')} refused the login of ${p.username} (check KAFKA_USERNAME/KAFKA_PASSWORD/KAFKA_SASL_MECHANISM of the kafka secret): ${p.reason}`,
  },
  KAFKA_NOT_AUTHORIZED: {
    message: (p: { username: string; operation: string; resource: string; reason: string }) =>
      `Kafka principal ${p.username} may not ${p.operation} ${p.resource} (the platform's ACLs do not grant it): ${p.reason}`,
  },
  KAFKA_TOPIC_NOT_FOUND: {
    message: (p: { topic: string }) =>
      `topic ${p.topic} does not exist (the platform creates its topics; declare it in the claim)`,
    retriable: true,
  },
  KAFKA_PUBLISH_FAILED: {
    message: (p: { topic: string; reason: string }) =>
      `publishing to ${p.topic} failed: ${p.reason}`,
    retriable: true,
  },
  KAFKA_SEND_INCOMPLETE: {
    message: (p: { topic: string; partitions: readonly string[] }) =>
      `publishing to ${p.topic} resolved without an acknowledgement for ${p.partitions.join(', ')} (a partition leader moved mid-send); the batch is not known written, send it again`,
    retriable: true,
  },
  KAFKA_DLQ_PUBLISH_FAILED: {
    message: (p: { topic: string; dlqTopic: string; reason: string }) =>
      `a record of ${p.topic} could not be written to ${p.dlqTopic}: ${p.reason}; it will be redelivered`,
    retriable: true,
  },
  KAFKA_HANDLER_FAILED: {
    message: (p: { topic: string; partition: number; offset: string; attempts: number }) =>
      `the handler failed on ${p.topic}[${p.partition}]@${p.offset} (attempt ${p.attempts}) with an error no retry can fix`,
  },
  // codecs
  CODEC_DECODE_FAILED: {
    message: (p: { codec: string; reason: string }) =>
      `a ${p.codec} record could not be decoded: ${p.reason}`,
  },
  CODEC_ENCODE_FAILED: {
    message: (p: { codec: string; reason: string }) =>
      `a value could not be encoded as ${p.codec}: ${p.reason}`,
  },
  CODEC_AVRO_WIRE_FORMAT: {
    message: (p: { reason: string }) =>
      `not in the Confluent Schema Registry wire format (magic byte 0 + 4-byte schema id): ${p.reason}`,
  },
  SCHEMA_REGISTRY_UNAVAILABLE: {
    message: (p: { url: string; reason: string }) =>
      `the Schema Registry at ${p.url} is unavailable: ${p.reason}`,
    retriable: true,
  },
  SCHEMA_REGISTRY_AUTH_FAILED: {
    message: (p: { url: string; status: number; username: string; request: string }) =>
      `the Schema Registry at ${p.url} refused ${p.request} for ${p.username} (HTTP ${p.status}): ${p.status === 401 ? 'the login is missing or wrong (KAFKA_USERNAME/KAFKA_PASSWORD of the kafka secret)' : 'this principal may not do that'}`,
  },
  SCHEMA_REGISTRY_REJECTED: {
    message: (p: { url: string; status: number; errorCode?: number; reason: string }) =>
      `the Schema Registry at ${p.url} answered ${p.status}${p.errorCode === undefined ? '' : ` (error_code ${p.errorCode})`}: ${p.reason}`,
  },
  // MQTT
  MQTT_CONNECT_FAILED: {
    message: (p: { url: string; reason: string }) => `MQTT connect to ${p.url} failed: ${p.reason}`,
    retriable: true,
  },
  MQTT_NOT_AUTHORIZED: {
    message: (p: { url: string; username: string }) =>
      `the MQTT broker ${p.url} refused user ${p.username} (check MQTT_USERNAME/MQTT_PASSWORD of the mqtt secret)`,
  },
  MQTT_DISABLED: {
    message: () =>
      'MQTT is turned off for this platform (MQTT_ENABLED=false, claim iot: false); no MQTT client can be created',
  },
  MQTT_PUBLISH_FAILED: {
    message: (p: { topic: string; reason: string }) =>
      `MQTT publish to ${p.topic} failed: ${p.reason}`,
    retriable: true,
  },
  MQTT_PAYLOAD_INVALID: {
    message: (p: { topic: string; reason: string }) =>
      `an MQTT message on ${p.topic} is not valid JSON: ${p.reason}`,
  },
  // WebSocket hub
  WS_AUTH_TOKEN_MISSING: {
    message: () =>
      'no bearer token: send "Authorization: Bearer <jwt>" or the subprotocols ["bearer", "<jwt>"]',
  },
  WS_AUTH_TOKEN_INVALID: {
    message: (p: { reason: string }) => `the bearer token was rejected: ${p.reason}`,
  },
  WS_AUTH_TOKEN_EXPIRED: {
    message: () => 'the bearer token has expired',
  },
  WS_AUTH_TOKEN_EXP_MISSING: {
    message: () => 'the bearer token has no "exp" claim: tokens must expire',
  },
  WS_AUTH_TOKEN_LIFETIME_TOO_LONG: {
    message: (p: { lifetimeSec: number; maxLifetimeSec: number }) =>
      `the bearer token is valid for ${p.lifetimeSec} s, more than the ${p.maxLifetimeSec} s allowed`,
  },
  WS_AUTH_TOKEN_NOT_YET_VALID: {
    message: (p: { claim: string }) =>
      `the bearer token is not valid yet ("${p.claim}" is in the future)`,
  },
  WS_AUTH_TOKEN_ISSUER_MISMATCH: {
    message: (p: { expected: string }) =>
      `the bearer token was not issued by ${p.expected} ("iss" missing or different)`,
  },
  WS_AUTH_TOKEN_AUDIENCE_MISMATCH: {
    message: (p: { expected: string }) =>
      `the bearer token is not meant for ${p.expected} ("aud" missing or different)`,
  },
  WS_AUTH_DISABLED_REMOTE: {
    message: (p: { localAddress: string }) =>
      `authentication is off and this connection came in on ${p.localAddress}, which is not loopback: refused (only auth "disabled-unsafe" serves unauthenticated clients off this machine)`,
  },
  WS_AUTH_ISSUER_AUDIENCE_REQUIRED: {
    message: (p: { localAddress: string }) =>
      `the server has no issuer and audience configured and this connection came in on ${p.localAddress}, which is not loopback: refused (set RTP_WS_JWT_ISSUER and RTP_WS_JWT_AUDIENCE)`,
  },
  WS_CONNECTION_LIMIT: {
    message: (p: { limit: number }) =>
      `the server holds its maximum of ${p.limit} WebSocket connections; retry later or elsewhere`,
    retriable: true,
  },
  ACCESS_CLAIM_MISSING: {
    message: (p: { claim: string }) =>
      `the token has no "${p.claim}" claim: it grants no device and no topic`,
  },
  ACCESS_CLAIM_INVALID: {
    message: (p: { claim: string; reason: string }) =>
      `the token's "${p.claim}" claim is invalid: ${p.reason}`,
  },
  ACCESS_TOPIC_NOT_GRANTED: {
    message: (p: { topic: string }) => `the token does not grant topic ${p.topic}`,
  },
  ACCESS_DEVICE_NOT_GRANTED: {
    message: (p: { deviceId: string }) => `the token does not grant device ${p.deviceId}`,
  },
  ACCESS_DEVICE_FILTER_REQUIRED: {
    message: (p: { topic: string; field: string }) =>
      `the token grants listed devices only: subscribe to ${p.topic} with a filter on "${p.field}" (all devices need "devices": "*")`,
  },
  WS_MESSAGE_INVALID: {
    message: (p: { reason: string }) => `invalid client message: ${p.reason}`,
  },
  WS_TOPIC_NOT_ALLOWED: {
    message: (p: { topic: string }) => `topic ${p.topic} cannot be subscribed to here`,
  },
  WS_SUBSCRIPTION_LIMIT: {
    message: (p: { limit: number }) => `a client may hold at most ${p.limit} subscriptions`,
  },
  WS_WEBSOCKET_ALREADY_REGISTERED: {
    message: () =>
      '@fastify/websocket is already registered: the hub registers it itself (maxPayload, subprotocol selection)',
  },
});

export type SdkErrorKey = keyof typeof sdkErrors;

/** When each error happens: the README's error table is checked against this (test/sdk.errors.test.ts). */
export const sdkErrorDocs: Record<SdkErrorKey, string> = {
  OPTIONS_INVALID: 'options passed in code fail their schema; names every `/options/...` path',
  CONFIG_INVALID:
    'start-up configuration failed; one line per problem, the single errors in `cause`',
  CONFIG_VAR_MISSING: 'a required SDK variable (`RTP_*`) is not set',
  CONFIG_VAR_MALFORMED: 'an SDK variable has a malformed value',
  CONFIG_SECRETS_DIR_UNREADABLE: 'the mounted secrets directory exists but cannot be read',
  CONFIG_WS_AUTH_UNSAFE:
    'auth off, no issuer/audience or an http JWKS URL while listening on a non-loopback address',
  CONFIG_SECRETS_DIR_AMBIGUOUS: 'two mounted directories could be the same secret',
  KAFKA_NOT_STARTED: 'publish/subscribe before `connect()` or after `close()`',
  KAFKA_UNREACHABLE: 'no broker answers (retriable)',
  KAFKA_AUTH_FAILED:
    'the brokers refused the SASL login of the kafka secret (not retriable: a wrong password stays wrong)',
  KAFKA_NOT_AUTHORIZED:
    'the ACLs do not let this principal read, write or use a topic or group (not retriable)',
  KAFKA_TOPIC_NOT_FOUND: 'subscribing to a topic that does not exist (retriable)',
  KAFKA_PUBLISH_FAILED: 'a produce request failed after the client retries (retriable)',
  KAFKA_SEND_INCOMPLETE:
    'a send resolved with a partition it wrote to unacknowledged (a leader moved mid-send); retriable',
  KAFKA_DLQ_PUBLISH_FAILED: 'the dead-letter write failed; the record is not committed (retriable)',
  KAFKA_HANDLER_FAILED: 'the handler failed non-retriably; the record went to `<topic>.dlq`',
  CODEC_DECODE_FAILED: 'a record is not valid for its codec (the record goes to the DLQ)',
  CODEC_ENCODE_FAILED: 'a value cannot be encoded',
  CODEC_AVRO_WIRE_FORMAT: 'an Avro record lacks magic byte 0 + schema id',
  SCHEMA_REGISTRY_UNAVAILABLE: 'the registry cannot be reached or answers 5xx (retriable)',
  SCHEMA_REGISTRY_AUTH_FAILED:
    'the registry answers 401 (no or a wrong login) or 403 (the principal may not write schemas); not retriable',
  SCHEMA_REGISTRY_REJECTED: 'the registry answers 4xx (incompatible schema, unknown id)',
  MQTT_CONNECT_FAILED: 'the first MQTT connect failed (retriable; mqtt.js keeps reconnecting)',
  MQTT_NOT_AUTHORIZED: 'the broker refused the credentials of the mqtt secret',
  MQTT_DISABLED: 'an MQTT client was asked for on a platform with `iot: false`',
  MQTT_PUBLISH_FAILED: 'a QoS 1 publish was not acknowledged (retriable)',
  MQTT_PAYLOAD_INVALID: 'an incoming MQTT payload is not JSON (logged and counted, not delivered)',
  WS_AUTH_TOKEN_MISSING: 'upgrade without a token: HTTP 401',
  WS_AUTH_TOKEN_INVALID: 'bad signature, issuer, audience or algorithm: HTTP 401',
  WS_AUTH_TOKEN_EXPIRED: 'expired token: HTTP 401 at upgrade, close 4401 when it expires later',
  WS_AUTH_TOKEN_EXP_MISSING: 'a token without `exp`: HTTP 401',
  WS_AUTH_TOKEN_LIFETIME_TOO_LONG:
    'a token valid for longer than `maxLifetimeSec` (`exp` - `iat`, or `exp` - now): HTTP 401',
  WS_AUTH_TOKEN_NOT_YET_VALID: 'a token whose `nbf` or `iat` is in the future: HTTP 401',
  WS_AUTH_TOKEN_ISSUER_MISMATCH: '`iss` missing or not the configured issuer: HTTP 401',
  WS_AUTH_TOKEN_AUDIENCE_MISMATCH: '`aud` missing or not the configured audience: HTTP 401',
  WS_AUTH_DISABLED_REMOTE:
    'auth is off and a connection came in on a non-loopback address (without the unsafe option): HTTP 403',
  WS_AUTH_ISSUER_AUDIENCE_REQUIRED:
    'a connection on a non-loopback address to a hub without issuer and audience: HTTP 503',
  WS_CONNECTION_LIMIT:
    'the hub holds `maxConnections` clients: HTTP 503 at upgrade (retriable), close 1013 if one slips past',
  ACCESS_CLAIM_MISSING: 'a valid token without the access claim: HTTP 403 (REST: 403)',
  ACCESS_CLAIM_INVALID: 'a malformed access claim (unknown field, no topics, bad list): HTTP 403',
  ACCESS_TOPIC_NOT_GRANTED:
    'subscribe to (or read) a topic the token does not grant (`error` frame)',
  ACCESS_DEVICE_NOT_GRANTED:
    'subscribe to (or read) a device the token does not grant (`error` frame)',
  ACCESS_DEVICE_FILTER_REQUIRED:
    'subscribe without a device filter with a token that lists devices (`error` frame)',
  WS_MESSAGE_INVALID: 'a client frame is not a valid subscribe/unsubscribe message (`error` frame)',
  WS_TOPIC_NOT_ALLOWED:
    'subscribe to a topic outside `topics` or refused by `authorize` (`error` frame)',
  WS_SUBSCRIPTION_LIMIT: 'more subscriptions than `maxSubscriptionsPerClient` (`error` frame)',
  WS_WEBSOCKET_ALREADY_REGISTERED: 'the app registered @fastify/websocket before the hub',
};
