import { optionsValidator, type OptionsSchema } from '../options/options.validator.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import type { SubscriptionFilter } from './ws-hub.protocol.js';

/** Who the client is, from its verified token. */
export interface AuthContext {
  readonly subject: string | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch (`exp`), when the token has one. */
  readonly expiresAt: number | undefined;
}

export type AuthorizeSubscription = (
  auth: AuthContext | null,
  topic: string,
  filter: SubscriptionFilter,
) => boolean | Promise<boolean>;

export interface JwtAuthOptions {
  /** HS256/384/512 shared secret (at least 32 bytes). */
  readonly secret?: string;
  /** JWKS URL for asymmetric keys (fetched and cached by jose). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Accepted algorithms; defaults to HS256 with a secret, RS256/ES256/PS256/EdDSA with a JWKS. */
  readonly algorithms?: readonly string[];
  readonly clockToleranceSec?: number;
}

export interface QueueOptions {
  /** Frames a client may have waiting; beyond it the oldest are dropped (`gap` frame). */
  readonly capacity: number;
  /** No more frames are written while the socket holds more than this many bytes. */
  readonly highWaterMarkBytes: number;
  /** A client above the high-water mark for this long is closed with 4429. */
  readonly congestionTimeoutMs: number;
}

/** What the hub itself needs (the plugin adds path, auth and payload limits). */
export interface WsHubCoreOptions {
  /** Topics clients may subscribe to. */
  readonly topics: readonly string[];
  readonly authorize?: AuthorizeSubscription;
  readonly queue: QueueOptions;
  /** Ping every interval; a client that did not pong since the last ping is closed with 4408. */
  readonly heartbeatIntervalMs: number;
  /** After a close frame, how long a client may take before its socket is destroyed. */
  readonly closeGraceMs: number;
  readonly maxSubscriptionsPerClient: number;
  readonly maxFilterFields: number;
  readonly logger?: Logger;
  readonly metrics?: SdkMetrics;
}

export interface WsHubPluginOptions extends WsHubCoreOptions {
  /** Route of the WebSocket endpoint. */
  readonly path: string;
  /** JWT verification; `false` turns authentication off, explicitly. There is no default key. */
  readonly auth: JwtAuthOptions | false;
  /** Largest client frame in bytes; bigger ones close the socket with 1009. */
  readonly maxPayload: number;
}

export type WsHubPluginInput = Pick<WsHubPluginOptions, 'topics' | 'auth'> &
  Partial<Omit<WsHubPluginOptions, 'topics' | 'auth'>>;

export const defaultWsHubCoreOptions = {
  queue: { capacity: 1024, highWaterMarkBytes: 1024 * 1024, congestionTimeoutMs: 10_000 },
  heartbeatIntervalMs: 30_000,
  closeGraceMs: 2000,
  maxSubscriptionsPerClient: 32,
  maxFilterFields: 4,
} satisfies Partial<WsHubCoreOptions>;

export const defaultWsHubOptions = {
  ...defaultWsHubCoreOptions,
  path: '/ws',
  maxPayload: 4096,
} satisfies Partial<WsHubPluginOptions>;

const positive = { type: 'integer', minimum: 1 } as const;

export const wsHubCoreOptionsProperties = {
  topics: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', minLength: 1 },
  },
  authorize: { isFunction: true },
  queue: {
    type: 'object',
    additionalProperties: false,
    required: ['capacity', 'highWaterMarkBytes', 'congestionTimeoutMs'],
    properties: {
      capacity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      highWaterMarkBytes: { type: 'integer', minimum: 1024 },
      congestionTimeoutMs: positive,
    },
  },
  heartbeatIntervalMs: { type: 'integer', minimum: 10 },
  closeGraceMs: { type: 'integer', minimum: 0 },
  maxSubscriptionsPerClient: positive,
  maxFilterFields: { type: 'integer', minimum: 0, maximum: 16 },
  logger: { type: 'object' },
  metrics: { type: 'object' },
} as const;

export const wsHubCoreOptionsSchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['topics', 'queue', 'heartbeatIntervalMs', 'closeGraceMs'],
  properties: wsHubCoreOptionsProperties,
};

export const wsHubPluginOptionsSchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['topics', 'auth', 'path', 'maxPayload'],
  properties: {
    ...wsHubCoreOptionsProperties,
    path: { type: 'string', pattern: '^/' },
    maxPayload: { type: 'integer', minimum: 64, maximum: 1024 * 1024 },
    auth: {
      oneOf: [
        { const: false },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            secret: { type: 'string', minLength: 32 },
            jwksUrl: { type: 'string', pattern: '^https?://' },
            issuer: { type: 'string', minLength: 1 },
            audience: { type: 'string', minLength: 1 },
            algorithms: { type: 'array', minItems: 1, items: { type: 'string' } },
            clockToleranceSec: { type: 'integer', minimum: 0 },
          },
          anyOf: [{ required: ['secret'] }, { required: ['jwksUrl'] }],
        },
      ],
    },
  },
};

export const resolveWsHubCoreOptions = optionsValidator<WsHubCoreOptions>(
  'ws hub',
  wsHubCoreOptionsSchema,
  defaultWsHubCoreOptions,
);

export const resolveWsHubPluginOptions = optionsValidator<WsHubPluginOptions>(
  'ws hub plugin',
  wsHubPluginOptionsSchema,
  defaultWsHubOptions,
);
