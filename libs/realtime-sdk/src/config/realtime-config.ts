import { hostname } from 'node:os';
import {
  checkPlatformEnv,
  isPlatformSecretKey,
  platformNamePattern,
  runtimeEnv,
  runtimeEnvDefault,
  type PlatformConnections,
} from '@realtime-platform/platform-contract';
import type { RealtimePlatformError } from '@realtime-platform/errors';
import { sdkErrors } from '../sdk.errors.js';
import { isLoopbackHost, jwksUrlProblem } from './loopback-host.js';
import { kafkaClients, type KafkaClientName } from '../kafka/kafka.options.js';
import { readSecretsDir } from './secrets-dir.reader.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export type WsAuthConfig =
  | {
      readonly mode: 'jwt';
      readonly secret?: string;
      readonly jwksUrl?: string;
      readonly issuer?: string;
      readonly audience?: string;
      /** `RTP_WS_JWT_MAX_LIFETIME_SECONDS`. */
      readonly maxLifetimeSec: number;
    }
  | {
      readonly mode: 'disabled';
      /** `RTP_WS_AUTH=disabled-unsafe`: also off a loopback address (a startup warning says so). */
      readonly unsafe: boolean;
    };

/** The hub's limits from `RTP_WS_MAX_*`. */
export interface WsLimitsConfig {
  readonly maxConnections: number;
  readonly maxSubscriptionsPerClient: number;
}

/** Where a platform key's value came from. */
export type ValueSource = 'env' | 'secrets-dir';

/** Everything the SDK needs at start-up, validated once. */
export interface RealtimeConfig {
  readonly serviceName: string;
  readonly platformName: string | undefined;
  readonly consumerGroup: string;
  /** `RTP_INSTANCE_ID` (the trait sets the pod name), else `HOSTNAME` or the OS host name: part of broadcast group ids and client ids. */
  readonly instanceId: string;
  readonly logLevel: LogLevel;
  /** `RTP_KAFKA_CLIENT`: which MessageBus adapter `createMessageBus` builds. */
  readonly kafkaClient: KafkaClientName;
  readonly http: { readonly host: string; readonly port: number };
  readonly wsAuth: WsAuthConfig;
  readonly wsLimits: WsLimitsConfig;
  readonly shutdownTimeoutMs: number;
  /** The five secrets, typed by the platform contract. */
  readonly platform: PlatformConnections;
  /** For each platform key that was found, where it came from (values are never kept here). */
  readonly sources: Readonly<Record<string, ValueSource>>;
  /** The secrets directory that was read, when it existed. */
  readonly secretsDir: string | undefined;
  /** Keys present in both env and the directory with different values (the directory won). */
  readonly overridden: readonly string[];
}

export interface LoadConfigOptions {
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides `RTP_SECRETS_DIR`. */
  readonly secretsDir?: string;
  /** Overrides `RTP_SERVICE_NAME`. */
  readonly serviceName?: string;
  /**
   * False for a service with no WebSocket clients (a bridge, a processor): `RTP_WS_*` are not
   * read and `wsAuth` is `disabled`, so such a service needs no JWT secret it would never use.
   */
  readonly websocket?: boolean;
}

export const defaultSecretsDir = '/var/run/secrets/realtime-platform';
const serviceNamePattern = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const minJwtSecretBytes = 32;

/**
 * Loads and validates the configuration once, at start-up: the SDK's `RTP_*` variables, then the
 * five platform secrets from env (`envFrom`) and the mounted secrets directory, checked by the
 * platform contract. Every problem is collected and thrown together as RTP_ERR_SDK_CONFIG_INVALID
 * (the single errors, each naming its secret and key or variable, are in `cause`).
 *
 * Precedence: **the secrets directory wins over env**. Its path names the secret
 * (`<dir>/{name}-kafka-secret/KAFKA_BOOTSTRAP_SERVERS`), so a value there provably comes from that
 * secret, while env is a merge of every `envFrom` source in which the last one wins - the way
 * legacy secrets overrode the right ones in an earlier attempt at this platform.
 */
export function loadRealtimeConfig(options: LoadConfigOptions = {}): RealtimeConfig {
  const env = options.env ?? process.env;
  const problems: RealtimePlatformError[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const malformed = (variable: string, expected: string, value?: string): void => {
    problems.push(sdkErrors.CONFIG_VAR_MALFORMED({ variable, expected, value }));
  };

  const serviceName = options.serviceName ?? read(runtimeEnv.serviceName);
  if (serviceName === undefined) {
    problems.push(
      sdkErrors.CONFIG_VAR_MISSING({
        variable: runtimeEnv.serviceName,
        hint: 'name the service (Kafka client id and consumer group base), e.g. vitals-gateway',
      }),
    );
  } else if (!serviceNamePattern.test(serviceName)) {
    malformed(runtimeEnv.serviceName, 'lowercase letters, digits, "-" and "."', serviceName);
  }

  const platformName = read(runtimeEnv.platformName);
  if (platformName !== undefined && !new RegExp(platformNamePattern).test(platformName)) {
    malformed(runtimeEnv.platformName, `a platform name (${platformNamePattern})`, platformName);
  }

  // Defaults are the contract's (its env catalog), not second literals here.
  const kafkaClient =
    read(runtimeEnv.kafkaClient) ?? runtimeEnvDefault(runtimeEnv.kafkaClient) ?? '';
  if (!(kafkaClients as readonly string[]).includes(kafkaClient)) {
    malformed(runtimeEnv.kafkaClient, `one of ${kafkaClients.join(', ')}`, kafkaClient);
  }

  const logLevel = read(runtimeEnv.logLevel) ?? runtimeEnvDefault(runtimeEnv.logLevel) ?? '';
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    malformed(runtimeEnv.logLevel, `one of ${logLevels.join(', ')}`, logLevel);
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
      malformed(name, `an integer from ${min} to ${max}`, raw);
      return fallback;
    }
    return value;
  };
  const port = integer(runtimeEnv.httpPort, 8080, 0, 65535);
  const shutdownTimeoutMs = integer(runtimeEnv.shutdownTimeoutMs, 10_000, 0, 600_000);

  const host = read(runtimeEnv.httpHost) ?? '0.0.0.0';
  const wsAuth: WsAuthConfig =
    options.websocket === false
      ? { mode: 'disabled', unsafe: false }
      : readWsAuth(read, problems, host, integer);
  const wsLimits: WsLimitsConfig = {
    maxConnections: integer(runtimeEnv.wsMaxConnections, 10_000, 1, 1_000_000),
    maxSubscriptionsPerClient: integer(runtimeEnv.wsMaxSubscriptions, 256, 1, 100_000),
  };

  // The five secrets: env, then the mounted directory on top (it wins, see above).
  const secretsDir = options.secretsDir ?? read(runtimeEnv.secretsDir) ?? defaultSecretsDir;
  const platformEnv: Record<string, string> = {};
  const sources: Record<string, ValueSource> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && isPlatformSecretKey(key)) {
      platformEnv[key] = value;
      sources[key] = 'env';
    }
  }
  const overridden: string[] = [];
  let dirUsed: string | undefined;
  try {
    const fromDir = readSecretsDir(secretsDir, platformName);
    if (Object.keys(fromDir.directories).length > 0) dirUsed = secretsDir;
    for (const [key, value] of Object.entries(fromDir.values)) {
      if (platformEnv[key] !== undefined && platformEnv[key] !== value) overridden.push(key);
      platformEnv[key] = value;
      sources[key] = 'secrets-dir';
    }
  } catch (error) {
    problems.push(error as RealtimePlatformError);
  }
  const checked = checkPlatformEnv(platformEnv, { platformName });
  if (!checked.ok) problems.push(...checked.errors);

  if (problems.length > 0 || !checked.ok || serviceName === undefined) {
    throw sdkErrors.CONFIG_INVALID(
      { problems: problems.map((problem) => problem.message) },
      { cause: new AggregateError(problems, 'realtime SDK configuration errors') },
    );
  }
  return {
    serviceName,
    platformName,
    consumerGroup: read(runtimeEnv.consumerGroup) ?? serviceName,
    instanceId: read(runtimeEnv.instanceId) ?? read('HOSTNAME') ?? hostname(),
    logLevel: logLevel as LogLevel,
    kafkaClient: kafkaClient as KafkaClientName,
    http: { host, port },
    wsAuth,
    wsLimits,
    shutdownTimeoutMs,
    platform: checked.connections,
    sources,
    secretsDir: dirUsed,
    overridden,
  };
}

/**
 * `RTP_WS_*`. What may be relaxed depends on where the server listens: on a loopback
 * `RTP_HTTP_HOST` (a developer's machine, tests) auth may be `disabled`, `iss`/`aud` may be left
 * out and the JWKS may be plain http. On any other address - production - auth off needs the
 * loudly named `disabled-unsafe`, and `iss` and `aud` are required, so a token another service of
 * the same identity provider was given cannot open this one.
 */
function readWsAuth(
  read: (name: string) => string | undefined,
  problems: RealtimePlatformError[],
  host: string,
  integer: (name: string, fallback: number, min: number, max: number) => number,
): WsAuthConfig {
  const loopback = isLoopbackHost(host);
  const mode = read(runtimeEnv.wsAuth) ?? 'jwt';
  if (mode === 'disabled-unsafe') return { mode: 'disabled', unsafe: true };
  if (mode === 'disabled') {
    if (!loopback)
      problems.push(
        sdkErrors.CONFIG_WS_AUTH_UNSAFE({
          reason: `${runtimeEnv.wsAuth}=disabled while ${runtimeEnv.httpHost} is ${host}, not a loopback address: anyone who reaches the port would see every patient; listen on 127.0.0.1, turn auth on, or write ${runtimeEnv.wsAuth}=disabled-unsafe`,
        }),
      );
    return { mode: 'disabled', unsafe: false };
  }
  if (mode !== 'jwt') {
    problems.push(
      sdkErrors.CONFIG_VAR_MALFORMED({
        variable: runtimeEnv.wsAuth,
        expected: '"jwt", "disabled" or "disabled-unsafe"',
        value: mode,
      }),
    );
  }
  const secret = read(runtimeEnv.wsJwtSecret);
  const jwksUrl = read(runtimeEnv.wsJwksUrl);
  const issuer = read(runtimeEnv.wsJwtIssuer);
  const audience = read(runtimeEnv.wsJwtAudience);
  if (secret === undefined && jwksUrl === undefined) {
    problems.push(
      sdkErrors.CONFIG_VAR_MISSING({
        variable: runtimeEnv.wsJwtSecret,
        hint: `WebSocket authentication is on: set ${runtimeEnv.wsJwtSecret} (HS256) or ${runtimeEnv.wsJwksUrl}, or ${runtimeEnv.wsAuth}=disabled`,
      }),
    );
  }
  if (secret !== undefined && Buffer.byteLength(secret) < minJwtSecretBytes) {
    // The value is a credential: never echo it.
    problems.push(
      sdkErrors.CONFIG_VAR_MALFORMED({
        variable: runtimeEnv.wsJwtSecret,
        expected: `at least ${minJwtSecretBytes} bytes (HS256 needs a key as long as its hash)`,
      }),
    );
  }
  if (jwksUrl !== undefined) {
    const problem = jwksUrlProblem(jwksUrl);
    if (problem !== undefined)
      problems.push(
        sdkErrors.CONFIG_VAR_MALFORMED({
          variable: runtimeEnv.wsJwksUrl,
          expected: `a URL that ${problem.replace(/^must be /, 'is ')}`,
          value: jwksUrl,
        }),
      );
  }
  if (!loopback && (issuer === undefined || audience === undefined)) {
    problems.push(
      sdkErrors.CONFIG_WS_AUTH_UNSAFE({
        reason: `${runtimeEnv.httpHost} is ${host}, not a loopback address: set ${[
          ...(issuer === undefined ? [runtimeEnv.wsJwtIssuer] : []),
          ...(audience === undefined ? [runtimeEnv.wsJwtAudience] : []),
        ].join(' and ')} so only tokens issued for this service are accepted`,
      }),
    );
  }
  return {
    mode: 'jwt',
    ...(secret === undefined ? {} : { secret }),
    ...(jwksUrl === undefined ? {} : { jwksUrl }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
    maxLifetimeSec: integer(runtimeEnv.wsJwtMaxLifetimeSeconds, 43_200, 60, 2_678_400),
  };
}
