import type { RealtimePlatformError } from '@realtime-platform/errors';
import type { Database, Visualization } from '../claim/claim.types.js';
import { contractErrors } from '../contract.errors.js';
import type {
  KafkaSecurityProtocol,
  kafkaSaslMechanism,
} from '../kafka-access/kafka-principal.catalog.js';
import {
  secretCatalog,
  type SecretDefinition,
  type SecretId,
  type SecretKeyDefinition,
} from './secret.catalog.js';

export interface MqttConnection {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly wsPort: number;
  readonly wsUrl: string;
  readonly username: string;
  readonly password: string;
}

export interface KafkaConnection {
  readonly bootstrapServers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly connectUrl: string;
  readonly securityProtocol: KafkaSecurityProtocol;
  readonly saslMechanism: typeof kafkaSaslMechanism;
  /** This workload's own principal: ACLs allow it only what its role needs. */
  readonly username: string;
  readonly password: string;
}

export interface DatabaseConnection {
  /** The engine: which adapter a service picks. */
  readonly type: Database;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** The same as one URL (`postgresql://`, `mysql://`, `mongodb://…?authSource=`), with the password. */
  readonly url: string;
}

export interface DashboardConnection {
  readonly type: Visualization;
  readonly url: string;
  /** A viewer login, never the admin. */
  readonly user: string;
  readonly password: string;
}

/** Where Lenses HQ is; people sign in with their own accounts. */
export interface LensesConnection {
  readonly url: string;
}

/** What the five secrets say, typed. `mqtt`/`lenses` are undefined when the platform turned them off. */
export interface PlatformConnections {
  readonly mqtt: MqttConnection | undefined;
  readonly kafka: KafkaConnection;
  readonly db: DatabaseConnection;
  readonly dashboard: DashboardConnection;
  readonly lenses: LensesConnection | undefined;
}

export type EnvCheckResult =
  | { readonly ok: true; readonly connections: PlatformConnections }
  | { readonly ok: false; readonly errors: readonly RealtimePlatformError[] };

export interface EnvParseOptions {
  /** Names secrets in errors (`health-data-db-secret`); without it errors say `{name}-db-secret`. */
  readonly platformName?: string;
}

export type PlatformEnv = Readonly<Record<string, string | undefined>>;

const hostPattern =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

const urlSchemes: Record<string, readonly string[]> = {
  http: ['http:', 'https:'],
  mqtt: ['mqtt:', 'mqtts:'],
  ws: ['ws:', 'wss:'],
};

function parsePort(value: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseHostPort(value: string): string | undefined {
  const at = value.lastIndexOf(':');
  if (at < 0) return undefined;
  const ok = hostPattern.test(value.slice(0, at)) && parsePort(value.slice(at + 1)) !== undefined;
  return ok ? value : undefined;
}

interface Parsed {
  readonly value?: unknown;
  readonly expected: string;
}

/** Checks one value by the key's format; `value` is undefined when malformed. */
function parseValue(definition: SecretKeyDefinition, raw: string): Parsed {
  switch (definition.kind) {
    case 'credential':
      return { value: raw === '' ? undefined : raw, expected: 'a non-empty value' };
    case 'connection': {
      const schemes = Object.values(definition.schemes);
      const expected = `a ${schemes.join('/')} URL with a user, a password and a host`;
      if (!URL.canParse(raw)) return { expected };
      const url = new URL(raw);
      const ok =
        schemes.includes(url.protocol.slice(0, -1)) &&
        url.hostname !== '' &&
        url.username !== '' &&
        url.password !== '';
      return { value: ok ? raw : undefined, expected };
    }
    case 'setting':
      switch (definition.format) {
        case 'flag':
          return {
            value: raw === 'true' ? true : raw === 'false' ? false : undefined,
            expected: '"true" or "false"',
          };
        case 'enum':
          return {
            value: definition.values?.includes(raw) ? raw : undefined,
            expected: `one of ${(definition.values ?? []).join(', ')}`,
          };
        case 'name':
          return { value: /^\S+$/.test(raw) ? raw : undefined, expected: 'a name without spaces' };
      }
      break;
    case 'endpoint':
      switch (definition.format) {
        case 'host':
          return { value: hostPattern.test(raw) ? raw : undefined, expected: 'a host name' };
        case 'port':
          return { value: parsePort(raw), expected: 'a TCP port (1-65535)' };
        case 'bootstrap': {
          const servers = raw.split(',').map((server) => server.trim());
          const ok = servers.every((server) => parseHostPort(server) !== undefined);
          return { value: ok ? servers : undefined, expected: 'a comma-separated host:port list' };
        }
        case 'url': {
          const schemes = urlSchemes[definition.scheme ?? 'http'] ?? [];
          const expected = `a ${schemes.map((s) => s.slice(0, -1)).join('/')} URL`;
          if (!URL.canParse(raw)) return { expected };
          const url = new URL(raw);
          return {
            value: schemes.includes(url.protocol) && url.hostname !== '' ? raw : undefined,
            expected,
          };
        }
      }
  }
}

function displayName(secret: SecretDefinition, options: EnvParseOptions): string {
  return `${options.platformName ?? '{name}'}-${secret.suffix}`;
}

/**
 * Reads the five secrets back from an environment (what `envFrom` injected, or a mounted secrets
 * directory turned into a map). Never throws; every problem is a coded error naming the secret and
 * the key. Credential values never appear in messages.
 */
export function checkPlatformEnv(env: PlatformEnv, options: EnvParseOptions = {}): EnvCheckResult {
  const errors: RealtimePlatformError[] = [];
  const values = new Map<string, unknown>();
  const disabled = new Set<SecretId>();
  for (const secret of secretCatalog as readonly SecretDefinition[]) {
    const secretLabel = displayName(secret, options);
    const read = (key: SecretKeyDefinition): unknown => {
      const raw = env[key.key];
      if (raw === undefined) {
        errors.push(contractErrors.ENV_KEY_MISSING({ secret: secretLabel, key: key.key }));
        return undefined;
      }
      const parsed = parseValue(key, raw);
      if (parsed.value === undefined) {
        errors.push(
          contractErrors.ENV_KEY_MALFORMED({
            secret: secretLabel,
            key: key.key,
            expected: parsed.expected,
            // Credential values (and URLs that carry one) never reach a message or a log.
            ...(key.kind === 'credential' || key.kind === 'connection' ? {} : { value: raw }),
          }),
        );
      }
      values.set(key.key, parsed.value);
      return parsed.value;
    };
    const flag = secret.keys.find((key) => key.kind === 'setting' && key.format === 'flag');
    if (flag !== undefined) {
      const enabled = read(flag);
      if (enabled === undefined) continue;
      if (enabled === false) {
        disabled.add(secret.id);
        continue;
      }
    }
    secret.keys.filter((key) => key !== flag).forEach(read);
    // A connection URL of another engine than the secret's type (a stale or hand-made Secret).
    for (const key of secret.keys) {
      if (key.kind !== 'connection') continue;
      const url = values.get(key.key);
      const type = values.get('DB_TYPE');
      if (typeof url !== 'string' || typeof type !== 'string') continue;
      const scheme = key.schemes[type];
      if (scheme !== undefined && !url.startsWith(`${scheme}://`)) {
        errors.push(
          contractErrors.ENV_KEY_MALFORMED({
            secret: secretLabel,
            key: key.key,
            expected: `a ${scheme} URL (DB_TYPE is ${type})`,
          }),
        );
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const get = <T>(key: string): T => values.get(key) as T;
  return {
    ok: true,
    connections: {
      mqtt: disabled.has('mqtt')
        ? undefined
        : {
            host: get('MQTT_HOST'),
            port: get('MQTT_PORT'),
            url: get('MQTT_URL'),
            wsPort: get('MQTT_WS_PORT'),
            wsUrl: get('MQTT_WS_URL'),
            username: get('MQTT_USERNAME'),
            password: get('MQTT_PASSWORD'),
          },
      kafka: {
        bootstrapServers: get('KAFKA_BOOTSTRAP_SERVERS'),
        schemaRegistryUrl: get('KAFKA_SCHEMA_REGISTRY_URL'),
        connectUrl: get('KAFKA_CONNECT_URL'),
        securityProtocol: get('KAFKA_SECURITY_PROTOCOL'),
        saslMechanism: get('KAFKA_SASL_MECHANISM'),
        username: get('KAFKA_USERNAME'),
        password: get('KAFKA_PASSWORD'),
      },
      db: {
        type: get('DB_TYPE'),
        host: get('DB_HOST'),
        port: get('DB_PORT'),
        database: get('DB_NAME'),
        user: get('DB_USER'),
        password: get('DB_PASSWORD'),
        url: get('DB_URL'),
      },
      dashboard: {
        type: get('DASHBOARD_TYPE'),
        url: get('DASHBOARD_URL'),
        user: get('DASHBOARD_USER'),
        password: get('DASHBOARD_PASSWORD'),
      },
      lenses: disabled.has('lenses') ? undefined : { url: get('LENSES_URL') },
    },
  };
}

/**
 * `checkPlatformEnv`, throwing RTP_ERR_CONTRACT_ENV_INVALID; the single ENV_KEY_MISSING and
 * ENV_KEY_MALFORMED errors are in its `cause` (an AggregateError) and `details.problems`.
 */
export function parsePlatformEnv(
  env: PlatformEnv,
  options: EnvParseOptions = {},
): PlatformConnections {
  const result = checkPlatformEnv(env, options);
  if (result.ok) return result.connections;
  throw contractErrors.ENV_INVALID(
    { problems: result.errors.map((error) => error.message) },
    { cause: new AggregateError(result.errors, 'platform secret errors') },
  );
}
