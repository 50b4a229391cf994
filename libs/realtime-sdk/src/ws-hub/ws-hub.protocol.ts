import { sdkErrors } from '../sdk.errors.js';

/** Version of the server frame envelope; bumped on any incompatible change. */
export const protocolVersion = 1;

/**
 * Close codes the hub uses (4000-4999 are for applications, RFC 6455 §7.4.2). HTTP 401 is the
 * answer to an upgrade without a valid token: those connections never open.
 */
export const closeCodes = {
  /** The server is shutting down (SIGTERM, `app.close()`): reconnect to another replica. */
  goingAway: 1001,
  /** A client frame over `maxPayload` (sent by ws itself). */
  messageTooBig: 1009,
  /** The token expired while connected: reconnect with a fresh one. */
  unauthorized: 4401,
  /** No pong to the last ping within a heartbeat interval. */
  heartbeatTimeout: 4408,
  /** The server holds `maxConnections` clients (one slipped past the upgrade check). */
  tryAgainLater: 1013,
  /**
   * The client's outgoing queue is over its bound (`queue.maxBytes`/`queue.controlCapacity`):
   * it asked for answers (acks, errors, pongs) faster than it read them.
   */
  queueOverflow: 4413,
  /** The client read too slowly for `congestionTimeoutMs` (its queue kept overflowing). */
  tooSlow: 4429,
} as const;

export type CloseCode = (typeof closeCodes)[keyof typeof closeCodes];

export type FilterValue = string | number | boolean;
export type SubscriptionFilter = Readonly<Record<string, FilterValue>>;

/** What clients send. */
export type ClientMessage =
  | {
      readonly type: 'subscribe';
      readonly topic: string;
      readonly filter: SubscriptionFilter;
      readonly id?: string;
    }
  | {
      readonly type: 'unsubscribe';
      readonly topic: string;
      readonly filter: SubscriptionFilter;
      readonly id?: string;
    };

/** What the server sends: `data` is shared by every subscriber of a `sub`, the others are per client. */
export type ServerFrame<T = unknown> =
  | { v: 1; type: 'data'; topic: string; sub: string; seq: number; ts: number; data: T }
  | {
      v: 1;
      type: 'ack';
      op: 'subscribe' | 'unsubscribe';
      topic: string;
      sub: string;
      seq: number;
      ts: number;
      id?: string;
    }
  | {
      v: 1;
      type: 'gap';
      topic: string;
      sub: string;
      from: number;
      to: number;
      dropped: number;
      ts: number;
    }
  | { v: 1; type: 'error'; code: string; message: string; ts: number; id?: string };

const fieldPattern = /^[A-Za-z0-9_.-]{1,64}$/;
const reservedFields = new Set(['__proto__', 'constructor', 'prototype']);
const maxFilterValueLength = 256;

export interface ParseLimits {
  readonly maxFilterFields: number;
}

function invalid(reason: string): never {
  throw sdkErrors.WS_MESSAGE_INVALID({ reason });
}

function parseFilter(raw: unknown, limits: ParseLimits): SubscriptionFilter {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) invalid('"filter" must be an object');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > limits.maxFilterFields)
    invalid(`"filter" may have at most ${limits.maxFilterFields} fields`);
  const filter: Record<string, FilterValue> = {};
  for (const [field, value] of entries) {
    if (!fieldPattern.test(field) || reservedFields.has(field))
      invalid(`filter field ${JSON.stringify(field)} is not a plain field name`);
    const ok =
      (typeof value === 'string' && value.length <= maxFilterValueLength) ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) invalid(`filter.${field} must be a string, number or boolean`);
    filter[field] = value as FilterValue;
  }
  return filter;
}

/** Parses one client text frame; throws RTP_ERR_SDK_WS_MESSAGE_INVALID with the reason. */
export function parseClientMessage(text: string, limits: ParseLimits): ClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    invalid('not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('not a JSON object');
  const message = raw as Record<string, unknown>;
  if (message.type !== 'subscribe' && message.type !== 'unsubscribe') {
    invalid('"type" must be "subscribe" or "unsubscribe"');
  }
  if (typeof message.topic !== 'string' || message.topic === '')
    invalid('"topic" must be a non-empty string');
  if (message.id !== undefined && (typeof message.id !== 'string' || message.id.length > 64)) {
    invalid('"id" must be a string of at most 64 characters');
  }
  return {
    type: message.type,
    topic: message.topic,
    filter: parseFilter(message.filter, limits),
    ...(message.id === undefined ? {} : { id: message.id as string }),
  };
}

/** How a record field compares with a filter value: as text, so `"42"` and `42` match. */
export function filterValueKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}

/** The sorted field names of a filter: subscriptions with the same fields share one index. */
export function filterSignature(filter: SubscriptionFilter): readonly string[] {
  return Object.keys(filter).sort();
}

/**
 * The canonical name of a subscription, shared by all its subscribers and echoed in every frame as
 * `sub`: `heart_rate_device_topic` or `heart_rate_device_topic?deviceId=d1` (fields sorted,
 * values URI-encoded).
 */
export function subscriptionKey(topic: string, filter: SubscriptionFilter): string {
  const fields = filterSignature(filter);
  if (fields.length === 0) return topic;
  const query = fields
    .map((field) => `${field}=${encodeURIComponent(filterValueKey(filter[field]) ?? '')}`)
    .join('&');
  return `${topic}?${query}`;
}

/** A per-client frame (ack, gap, error) as a UTF-8 buffer. */
export function encodeFrame(frame: Exclude<ServerFrame, { type: 'data' }>): Buffer {
  return Buffer.from(JSON.stringify(frame));
}
