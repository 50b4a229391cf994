import type { AccessGrant } from '../access/access-grant.js';
import type { AccessPolicyOptions } from '../access/access.policy.js';
import { optionsValidator, type OptionsSchema } from '../options/options.validator.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import type { SubscriptionFilter } from './ws-hub.protocol.js';

/** Who the client is, from its verified token. */
export interface AuthContext {
  readonly subject: string | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch (`exp`); the verifier requires it. */
  readonly expiresAt: number | undefined;
  /** What the token grants (its access claim), parsed at the upgrade. */
  readonly access?: AccessGrant;
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
  /** Longest validity a token may have (`exp` - `iat`, and `exp` - now); default 12 h. */
  readonly maxLifetimeSec?: number;
}

export interface QueueOptions {
  /** Data frames a client may have waiting; beyond it the oldest are dropped (`gap` frame). */
  readonly capacity: number;
  /**
   * Bytes a client may have waiting in the hub, data and control frames together; data frames
   * beyond it are dropped oldest first, a control frame that does not fit closes the client (4413).
   */
  readonly maxBytes: number;
  /**
   * Control frames (acks, errors, pongs) a client may have waiting: they are answers and are never
   * dropped, so a client that asks faster than it reads is closed with 4413 instead.
   */
  readonly controlCapacity: number;
  /** No more frames are written while the socket holds more than this many bytes. */
  readonly highWaterMarkBytes: number;
  /** A client above the high-water mark for this long is closed with 4429. */
  readonly congestionTimeoutMs: number;
}

/** What the hub itself needs (the plugin adds path, auth and payload limits). */
export interface WsHubCoreOptions {
  /** Topics clients may subscribe to. */
  readonly topics: readonly string[];
  /** An extra check after the token's grant allowed a subscription (it can only refuse more). */
  readonly authorize?: AuthorizeSubscription;
  /** How the token's access claim is read (claim name, device field, ward directory). */
  readonly access?: AccessPolicyOptions;
  readonly queue: QueueOptions;
  /** Connected clients the hub holds at most; more are refused (HTTP 503, or close 1013). */
  readonly maxConnections: number;
  /** Client messages handled at once; beyond it the hub stops reading the socket until they are done. */
  readonly maxPendingMessages: number;
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
  /**
   * JWT verification; `false` turns authentication off, explicitly, and only for connections that
   * come in on a loopback address. There is no default key.
   */
  readonly auth: JwtAuthOptions | false;
  /**
   * With `auth: false`, also serve clients that connect from other machines. Anyone who can reach
   * the port then sees every patient's data: for a network that is itself the access control.
   */
  readonly unsafeAllowUnauthenticatedRemote: boolean;
  /** Largest client frame in bytes; bigger ones close the socket with 1009. */
  readonly maxPayload: number;
}

export type WsHubPluginInput = Pick<WsHubPluginOptions, 'topics' | 'auth'> &
  Partial<Omit<WsHubPluginOptions, 'topics' | 'auth' | 'queue'>> & {
    readonly queue?: Partial<QueueOptions>;
  };

/** What `new WsHub()` takes: the topics, and any core option to override. */
export type WsHubCoreInput = Pick<WsHubCoreOptions, 'topics'> &
  Partial<Omit<WsHubCoreOptions, 'topics' | 'queue'>> & {
    readonly queue?: Partial<QueueOptions>;
  };

export const defaultWsHubCoreOptions = {
  queue: {
    capacity: 1024,
    maxBytes: 4 * 1024 * 1024,
    controlCapacity: 256,
    highWaterMarkBytes: 1024 * 1024,
    congestionTimeoutMs: 10_000,
  },
  maxConnections: 10_000,
  maxPendingMessages: 16,
  heartbeatIntervalMs: 30_000,
  closeGraceMs: 2000,
  maxSubscriptionsPerClient: 256,
  maxFilterFields: 4,
} satisfies Partial<WsHubCoreOptions>;

export const defaultWsHubOptions = {
  ...defaultWsHubCoreOptions,
  path: '/ws',
  maxPayload: 4096,
  unsafeAllowUnauthenticatedRemote: false,
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
  access: {
    type: 'object',
    additionalProperties: false,
    properties: {
      claim: { type: 'string', minLength: 1 },
      deviceField: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
      wardOf: { isFunction: true },
    },
  },
  maxConnections: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  maxPendingMessages: { type: 'integer', minimum: 1, maximum: 10_000 },
  queue: {
    type: 'object',
    additionalProperties: false,
    required: [
      'capacity',
      'maxBytes',
      'controlCapacity',
      'highWaterMarkBytes',
      'congestionTimeoutMs',
    ],
    properties: {
      capacity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      maxBytes: { type: 'integer', minimum: 1024 },
      controlCapacity: { type: 'integer', minimum: 1, maximum: 100_000 },
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
  required: ['topics', 'queue', 'maxConnections', 'heartbeatIntervalMs', 'closeGraceMs'],
  properties: wsHubCoreOptionsProperties,
};

export const wsHubPluginOptionsSchema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['topics', 'auth', 'path', 'maxPayload', 'unsafeAllowUnauthenticatedRemote'],
  properties: {
    ...wsHubCoreOptionsProperties,
    path: { type: 'string', pattern: '^/' },
    unsafeAllowUnauthenticatedRemote: { type: 'boolean' },
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
            clockToleranceSec: { type: 'integer', minimum: 0, maximum: 300 },
            maxLifetimeSec: { type: 'integer', minimum: 60, maximum: 31 * 24 * 60 * 60 },
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
