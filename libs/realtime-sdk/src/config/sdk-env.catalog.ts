/**
 * The SDK's own environment variables (the platform's are the five secrets' keys, owned by
 * @realtime-platform/platform-contract). All start with `RTP_`, a prefix no platform secret uses,
 * so `envFrom` can never overwrite them. The README table is checked against this list.
 */
export interface SdkEnvVariable {
  readonly variable: string;
  readonly description: string;
  /** The default as written in the env; absent when the variable is required or optional. */
  readonly default?: string;
  readonly required?: boolean;
}

export const sdkEnvCatalog = [
  {
    variable: 'RTP_SERVICE_NAME',
    required: true,
    description:
      'name of the service: Kafka client id, base of consumer group ids, log and metric name',
  },
  {
    variable: 'RTP_PLATFORM_NAME',
    description:
      'platform `{name}`: names secrets in errors and picks `<dir>/{name}-*-secret` when several platforms are mounted',
  },
  {
    variable: 'RTP_CONSUMER_GROUP',
    default: '$RTP_SERVICE_NAME',
    description: 'group id of shared consumers and base of broadcast group ids',
  },
  {
    variable: 'RTP_SECRETS_DIR',
    default: '/var/run/secrets/realtime-platform',
    description:
      'mounted secrets: `<dir>/<secret-name>/<KEY>` (one directory per secret, one file per key); ignored when absent',
  },
  {
    variable: 'RTP_LOG_LEVEL',
    default: 'info',
    description: 'pino level: fatal, error, warn, info, debug, trace or silent',
  },
  {
    variable: 'RTP_HTTP_HOST',
    default: '0.0.0.0',
    description: 'address the HTTP/WebSocket server binds',
  },
  { variable: 'RTP_HTTP_PORT', default: '8080', description: 'port of the HTTP/WebSocket server' },
  {
    variable: 'RTP_WS_AUTH',
    default: 'jwt',
    description:
      '`jwt` (default) or `disabled`; disabled must be written out, never inferred from a missing secret',
  },
  {
    variable: 'RTP_WS_JWT_SECRET',
    description:
      'HS256 shared secret (at least 32 bytes); this or `RTP_WS_JWKS_URL` when auth is `jwt`',
  },
  {
    variable: 'RTP_WS_JWKS_URL',
    description: 'JWKS URL of the identity provider (RS256/ES256 keys, fetched and cached)',
  },
  { variable: 'RTP_WS_JWT_ISSUER', description: 'required `iss` claim, when set' },
  { variable: 'RTP_WS_JWT_AUDIENCE', description: 'required `aud` claim, when set' },
  {
    variable: 'RTP_SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    description: 'how long SIGTERM may drain before the process exits anyway',
  },
] as const satisfies readonly SdkEnvVariable[];

export type SdkEnvName = (typeof sdkEnvCatalog)[number]['variable'];
