import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { isRealtimePlatformError, type RealtimePlatformError } from '@realtime-platform/errors';
import { AccessAuditLog } from '../access/access-audit.log.js';
import { unrestrictedGrant, type AccessGrant } from '../access/access-grant.js';
import { AccessPolicy } from '../access/access.policy.js';
import { sdkErrors } from '../sdk.errors.js';
import { silentLogger, type Logger } from '../telemetry/sdk.logger.js';
import { Channel } from './ws-hub.channel.js';
import { ClientQueue, type ControlFrame } from './client-queue.js';
import { encodeTextFrame, framePayload } from './ws-frame.encoder.js';
import {
  resolveWsHubCoreOptions,
  type AuthContext,
  type WsHubCoreInput,
  type WsHubCoreOptions,
} from './ws-hub.options.js';
import {
  closeCodes,
  encodeFrame,
  filterSignature,
  filterValueKey,
  parseClientMessage,
  subscriptionKey,
  type ClientMessage,
  type CloseCode,
} from './ws-hub.protocol.js';

/** One connected client. */
export class HubClient {
  readonly subscriptions = new Map<string, Channel<HubClient>>();
  readonly queue: ClientQueue<Channel<HubClient>>;
  alive = true;
  closing = false;
  /** When the socket first stayed above the high-water mark, while it still does. */
  congestedSince: number | undefined;
  waitingForDrain = false;
  framesSent = 0;
  /** Serialises the handling of this client's messages (authorize may be async). */
  inbox: Promise<void> = Promise.resolve();
  /** Messages received and not handled yet; reading pauses at `maxPendingMessages`. */
  pending = 0;
  timers: NodeJS.Timeout[] = [];
  /** What the token grants, or why it grants nothing (a missing or malformed access claim). */
  grant: AccessGrant | RealtimePlatformError = unrestrictedGrant;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    /** The HTTP socket under the WebSocket: corked around a flush so frames leave in one write. */
    readonly socket: Duplex | undefined,
    readonly auth: AuthContext | null,
    queue: WsHubCoreOptions['queue'],
    /** The peer address (for the audit log). */
    readonly remote: string | undefined,
  ) {
    this.queue = new ClientQueue(queue.capacity, queue.maxBytes, queue.controlCapacity);
  }
}

/** Per-(topic, field set) index of channels by the record's values of those fields. */
interface FieldGroup {
  readonly fields: readonly string[];
  readonly channels: Map<string, Channel<HubClient>>;
}

export interface ClientStats {
  readonly id: number;
  readonly subscriptions: number;
  /** Data frames waiting in the hub. */
  readonly queued: number;
  /** Control frames (acks, errors, pongs) waiting in the hub. */
  readonly controlQueued: number;
  /** Bytes of both waiting in the hub (bounded by `queue.maxBytes`). */
  readonly queuedBytes: number;
  /** Bytes written to the socket and not yet taken by the kernel. */
  readonly bufferedAmount: number;
  readonly dropped: number;
  readonly sent: number;
}

export interface PublishOptions {
  /** Timestamp put in the frame (ms since the epoch); defaults to now. */
  readonly ts?: number;
  /** `data` already serialised as JSON (e.g. the record's bytes): skips `JSON.stringify`. */
  readonly json?: string;
}

const sendOptions = { binary: false } as const;

/** The `id` of a message that failed validation, so the client can match the error frame. */
function correlationId(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' && id.length <= 64 ? id : undefined;
  } catch {
    return undefined;
  }
}
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The fan-out core: subscriptions by topic and filter, per-client bounded queues, flushes batched
 * per event-loop turn with the socket corked, backpressure by `bufferedAmount`, heartbeat.
 *
 * Cost per record: one `JSON.stringify` (or none with `json`), one lookup per distinct filter field
 * set of the topic, one frame Buffer per matching channel, then one reference per subscriber.
 */
export class WsHub {
  readonly options: WsHubCoreOptions;
  private readonly logger: Logger;
  private readonly topics = new Map<string, Map<string, FieldGroup>>();
  private readonly clients = new Set<HubClient>();
  private readonly dirty = new Set<HubClient>();
  private flushScheduled = false;
  private nextClientId = 1;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly allowedTopics: ReadonlySet<string>;
  /** Reads the access claim and decides subscriptions. */
  readonly access: AccessPolicy;
  /** Where every connection and subscription decision is written. */
  readonly audit: AccessAuditLog;

  constructor(input: WsHubCoreInput) {
    this.options = resolveWsHubCoreOptions(input);
    this.logger = (this.options.logger ?? silentLogger).child({ component: 'ws-hub' });
    this.access = new AccessPolicy(this.options.access);
    this.audit = new AccessAuditLog(this.options.logger, this.options.metrics);
    this.allowedTopics = new Set(this.options.topics);
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Whether one more client would exceed `maxConnections` (checked before the upgrade). */
  get full(): boolean {
    return this.clients.size >= this.options.maxConnections;
  }

  /**
   * Registers a connection; attach it synchronously in the route handler (no message is lost).
   * `auth` is null when authentication is off (the client may see everything); a token without
   * a valid access claim gets no subscription. The hub answers pings itself, through the bounded
   * queue: create the WebSocket server with `autoPong: false` (the plugin does).
   */
  addClient(
    ws: WebSocket,
    socket: Duplex | undefined,
    auth: AuthContext | null,
    remote?: string,
  ): HubClient {
    const client = new HubClient(this.nextClientId++, ws, socket, auth, this.options.queue, remote);
    if (this.closed) {
      this.closeClient(client, closeCodes.goingAway, 'server shutting down');
      return client;
    }
    if (this.full) {
      // Two upgrades that passed the plugin's check together: the bound still holds.
      this.options.metrics?.wsConnectionsRefused.inc({ reason: 'limit' });
      this.closeClient(client, closeCodes.tryAgainLater, 'connection limit');
      return client;
    }
    if (auth !== null) {
      try {
        client.grant = auth.access ?? this.access.grantOf(auth.claims);
      } catch (error) {
        client.grant = isRealtimePlatformError(error)
          ? error
          : sdkErrors.ACCESS_CLAIM_INVALID({ claim: this.access.claim, reason: 'unreadable' });
      }
    }
    this.clients.add(client);
    this.options.metrics?.wsClients.set(this.clients.size);
    const { maxPendingMessages } = this.options;
    ws.on('message', (data, isBinary) => {
      client.alive = true;
      client.pending += 1;
      // Backpressure on what the client sends: stop reading until its messages are handled.
      if (client.pending >= maxPendingMessages) ws.pause();
      client.inbox = client.inbox.then(async () => {
        await this.onMessage(client, data, isBinary);
        client.pending -= 1;
        if (client.pending < maxPendingMessages && ws.isPaused) ws.resume();
      });
    });
    ws.on('ping', (data) => {
      client.alive = true;
      this.sendControl(client, { kind: 'pong', data });
    });
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.removeClient(client));
    ws.on('error', (error) => this.logger.debug({ err: error, client: client.id }, 'socket error'));
    if (auth?.expiresAt !== undefined) {
      const ms = auth.expiresAt * 1000 - Date.now();
      const timer = setTimeout(
        () => this.closeClient(client, closeCodes.unauthorized, 'token expired'),
        Math.max(0, Math.min(ms, MAX_TIMER_MS)),
      );
      timer.unref();
      client.timers.push(timer);
    }
    return client;
  }

  private async onMessage(client: HubClient, data: unknown, isBinary: boolean): Promise<void> {
    let message: ClientMessage | undefined;
    let text = '';
    try {
      if (isBinary)
        throw sdkErrors.WS_MESSAGE_INVALID({ reason: 'binary frames are not accepted' });
      text = Array.isArray(data) ? Buffer.concat(data as Buffer[]).toString() : String(data);
      message = parseClientMessage(text, this.options);
      if (message.type === 'subscribe') await this.subscribe(client, message);
      else this.unsubscribe(client, message);
    } catch (error) {
      if (!isRealtimePlatformError(error))
        this.logger.error({ err: error }, 'client message failed');
      const coded = isRealtimePlatformError(error)
        ? error
        : sdkErrors.WS_MESSAGE_INVALID({ reason: 'internal error' });
      if (message?.type === 'subscribe') this.auditSubscription(client, message, coded.code);
      const id = message?.id ?? correlationId(text);
      this.sendText(
        client,
        encodeFrame({
          v: 1,
          type: 'error',
          code: coded.code,
          message: coded.message,
          ts: Date.now(),
          ...(id === undefined ? {} : { id }),
        }),
      );
    }
  }

  private auditSubscription(
    client: HubClient,
    message: Extract<ClientMessage, { type: 'subscribe' }>,
    refusedWith?: string,
  ): void {
    const device = message.filter[this.access.deviceField];
    this.audit.record({
      who: client.auth?.subject,
      action: 'subscribe',
      topic: message.topic,
      ...(device === undefined ? {} : { deviceId: String(device) }),
      ...(client.remote === undefined ? {} : { remote: client.remote }),
      allowed: refusedWith === undefined,
      ...(refusedWith === undefined ? {} : { reason: refusedWith }),
    });
  }

  private async subscribe(
    client: HubClient,
    message: Extract<ClientMessage, { type: 'subscribe' }>,
  ): Promise<void> {
    const { topic, filter } = message;
    if (!this.allowedTopics.has(topic)) throw sdkErrors.WS_TOPIC_NOT_ALLOWED({ topic });
    // The token's grant first: what it does not grant is refused whatever `authorize` says.
    if (isRealtimePlatformError(client.grant)) throw client.grant;
    const refusal = this.access.checkSubscription(client.grant, topic, filter);
    if (refusal !== undefined) throw refusal;
    const key = subscriptionKey(topic, filter);
    if (
      !client.subscriptions.has(key) &&
      client.subscriptions.size >= this.options.maxSubscriptionsPerClient
    ) {
      throw sdkErrors.WS_SUBSCRIPTION_LIMIT({ limit: this.options.maxSubscriptionsPerClient });
    }
    if (
      this.options.authorize !== undefined &&
      !(await this.options.authorize(client.auth, topic, filter))
    ) {
      throw sdkErrors.WS_TOPIC_NOT_ALLOWED({ topic });
    }
    if (client.closing) return;
    let channel = client.subscriptions.get(key);
    if (channel === undefined) {
      channel = this.channelFor(topic, key, filter);
      channel.clients.add(client);
      client.subscriptions.set(key, channel);
    }
    this.auditSubscription(client, message);
    this.sendText(
      client,
      encodeFrame({
        v: 1,
        type: 'ack',
        op: 'subscribe',
        topic,
        sub: key,
        seq: channel.seq,
        ts: Date.now(),
        ...(message.id === undefined ? {} : { id: message.id }),
      }),
    );
  }

  private unsubscribe(
    client: HubClient,
    message: Extract<ClientMessage, { type: 'unsubscribe' }>,
  ): void {
    const key = subscriptionKey(message.topic, message.filter);
    const channel = client.subscriptions.get(key);
    if (channel !== undefined) this.detach(client, channel);
    this.sendText(
      client,
      encodeFrame({
        v: 1,
        type: 'ack',
        op: 'unsubscribe',
        topic: message.topic,
        sub: key,
        seq: channel?.seq ?? 0,
        ts: Date.now(),
        ...(message.id === undefined ? {} : { id: message.id }),
      }),
    );
  }

  private channelFor(
    topic: string,
    key: string,
    filter: Channel<HubClient>['filter'],
  ): Channel<HubClient> {
    const fields = filterSignature(filter);
    const signature = fields.join('\u0000');
    let groups = this.topics.get(topic);
    if (groups === undefined) {
      groups = new Map();
      this.topics.set(topic, groups);
    }
    let group = groups.get(signature);
    if (group === undefined) {
      group = { fields, channels: new Map() };
      groups.set(signature, group);
    }
    const valuesKey = fields.map((field) => filterValueKey(filter[field])).join('\u0000');
    let channel = group.channels.get(valuesKey);
    if (channel === undefined) {
      channel = new Channel<HubClient>(topic, key, filter);
      group.channels.set(valuesKey, channel);
    }
    return channel;
  }

  private detach(client: HubClient, channel: Channel<HubClient>): void {
    client.subscriptions.delete(channel.key);
    channel.clients.delete(client);
    client.queue.gaps.delete(channel);
    if (channel.clients.size > 0) return;
    // Last subscriber gone: drop the channel (a new one restarts at seq 0 - acks carry the seq).
    const groups = this.topics.get(channel.topic);
    const fields = filterSignature(channel.filter);
    const group = groups?.get(fields.join('\u0000'));
    group?.channels.delete(
      fields.map((field) => filterValueKey(channel.filter[field])).join('\u0000'),
    );
    if (group !== undefined && group.channels.size === 0) groups?.delete(fields.join('\u0000'));
    if (groups !== undefined && groups.size === 0) this.topics.delete(channel.topic);
  }

  /**
   * Fans `data` out to the subscribers of `topic` whose filter matches it. Returns the number of
   * frames queued. Never blocks: slow clients drop their oldest frames, nobody waits for them.
   */
  publish(topic: string, data: unknown, options: PublishOptions = {}): number {
    const groups = this.topics.get(topic);
    if (groups === undefined) return 0;
    let dataJson = options.json;
    const now = Date.now();
    const ts = options.ts ?? now;
    const capacity = this.options.queue.capacity;
    let queued = 0;
    let sentNow = 0;
    for (const group of groups.values()) {
      let channel: Channel<HubClient> | undefined;
      if (group.fields.length === 0) channel = group.channels.get('');
      else {
        if (typeof data !== 'object' || data === null) continue;
        let values = '';
        let matchable = true;
        for (let i = 0; i < group.fields.length; i += 1) {
          const value = filterValueKey(
            (data as Record<string, unknown>)[group.fields[i] as string],
          );
          if (value === undefined) {
            matchable = false;
            break;
          }
          values = i === 0 ? value : `${values}\u0000${value}`;
        }
        if (!matchable) continue;
        channel = group.channels.get(values);
      }
      if (channel === undefined || channel.clients.size === 0) continue;
      dataJson ??= JSON.stringify(data);
      channel.seq += 1;
      const frame = channel.frame(channel.seq, ts, dataJson);
      for (const client of channel.clients) {
        if (client.closing) continue;
        // A full queue is flushed now, not at the end of the turn: a burst (a Kafka batch) larger
        // than the queue must not cost a fast client anything. Only a socket above its high-water
        // mark - a slow reader - makes the queue drop.
        if (client.queue.length >= capacity) sentNow += this.flush(client, now);
        const droppedBefore = client.queue.droppedTotal;
        if (client.queue.push(frame, channel, channel.seq))
          this.options.metrics?.wsFramesDropped.inc(client.queue.droppedTotal - droppedBefore);
        this.dirty.add(client);
        queued += 1;
      }
    }
    if (sentNow > 0) this.options.metrics?.wsFramesSent.inc(sentNow);
    if (queued > 0) this.scheduleFlush();
    return queued;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const now = Date.now();
      const clients = [...this.dirty];
      this.dirty.clear();
      let sent = 0;
      for (const client of clients) sent += this.flush(client, now);
      if (sent > 0) this.options.metrics?.wsFramesSent.inc(sent);
    });
  }

  /** Writes what the client's socket can take now; returns the number of frames written. */
  private flush(client: HubClient, now: number): number {
    if (client.closing) return 0;
    const { highWaterMarkBytes, congestionTimeoutMs } = this.options.queue;
    const { ws, queue } = client;
    if (ws.readyState !== 1) return 0;
    if (ws.bufferedAmount > highWaterMarkBytes) {
      client.congestedSince ??= now;
      if (now - client.congestedSince >= congestionTimeoutMs) {
        this.closeClient(client, closeCodes.tooSlow, 'too slow');
      } else {
        this.resumeOnDrain(client);
      }
      return 0;
    }
    client.congestedSince = undefined;
    let sent = 0;
    client.socket?.cork();
    try {
      // Answers first (an ack before the data of its subscription), each counted in the bound.
      while (queue.controlLength > 0 && ws.bufferedAmount <= highWaterMarkBytes) {
        const entry = queue.shiftControl() as ControlFrame;
        if (entry.kind === 'pong') ws.pong(entry.data);
        else if (client.socket !== undefined) client.socket.write(entry.frame);
        else ws.send(framePayload(entry.frame), sendOptions);
      }
      if (queue.controlLength > 0) {
        this.resumeOnDrain(client);
        return 0;
      }
      for (const [channel, gap] of queue.takeGaps()) {
        if (!client.subscriptions.has(channel.key)) continue;
        ws.send(
          encodeFrame({
            v: 1,
            type: 'gap',
            topic: channel.topic,
            sub: channel.key,
            ...gap,
            ts: now,
          }),
          sendOptions,
        );
      }
      while (queue.length > 0 && ws.bufferedAmount <= highWaterMarkBytes) {
        const next = queue.peek();
        queue.shift();
        if (next === undefined || !client.subscriptions.has(next.channel.key)) continue;
        // Pre-framed: the same bytes for every subscriber, written straight to the socket (ws
        // would re-frame and copy per client). Safe because compression is off and writes are
        // whole frames, so they never interleave with the frames ws itself sends.
        if (client.socket !== undefined) client.socket.write(next.frame);
        else ws.send(framePayload(next.frame), sendOptions);
        sent += 1;
      }
    } finally {
      client.socket?.uncork();
    }
    client.framesSent += sent;
    if (queue.length > 0 || queue.controlLength > 0) this.resumeOnDrain(client);
    return sent;
  }

  /** Flushes again when the socket drained (or on the next publish, whichever comes first). */
  private resumeOnDrain(client: HubClient): void {
    if (client.waitingForDrain || client.socket === undefined) return;
    client.waitingForDrain = true;
    const again = (): void => {
      client.waitingForDrain = false;
      this.dirty.add(client);
      this.scheduleFlush();
    };
    // 'drain' only comes when a write returned false (above the socket's own high-water mark).
    if (client.socket.writableNeedDrain) client.socket.once('drain', again);
    else setTimeout(again, 20).unref();
  }

  /** An ack or error frame for this client (a JSON text). */
  private sendText(client: HubClient, json: Buffer): void {
    this.sendControl(client, { kind: 'text', frame: encodeTextFrame(json.toString()) });
  }

  /**
   * Queues an answer (ack, error, pong) and flushes at once. Answers count against the client's
   * bound like data: one that does not fit closes the client with 4413, because a client that
   * keeps asking without reading would otherwise grow the server without limit.
   */
  private sendControl(client: HubClient, entry: ControlFrame): void {
    if (client.closing || client.ws.readyState !== 1) return;
    if (!client.queue.pushControl(entry)) {
      this.closeClient(client, closeCodes.queueOverflow, 'outgoing queue full');
      return;
    }
    const sent = this.flush(client, Date.now());
    if (sent > 0) this.options.metrics?.wsFramesSent.inc(sent);
  }

  private beat(): void {
    for (const client of this.clients) {
      if (client.closing) continue;
      if (!client.alive) {
        this.closeClient(client, closeCodes.heartbeatTimeout, 'heartbeat timeout');
        continue;
      }
      client.alive = false;
      try {
        client.ws.ping();
      } catch {
        // A socket that is already closing: its close event removes it.
      }
    }
  }

  /** Sends a close frame with `code`; destroys the socket if the handshake is not done in time. */
  closeClient(client: HubClient, code: CloseCode, reason: string): void {
    if (client.closing) return;
    client.closing = true;
    client.queue.clear();
    this.options.metrics?.wsClientsClosed.inc({ code: String(code) });
    this.logger.info({ client: client.id, code, reason }, 'closing client');
    try {
      client.ws.close(code, reason);
    } catch {
      client.ws.terminate();
    }
    const timer = setTimeout(() => client.ws.terminate(), this.options.closeGraceMs);
    timer.unref();
    client.timers.push(timer);
  }

  private removeClient(client: HubClient): void {
    if (!this.clients.delete(client)) return;
    client.closing = true;
    for (const timer of client.timers) clearTimeout(timer);
    for (const channel of [...client.subscriptions.values()]) this.detach(client, channel);
    client.queue.clear();
    this.dirty.delete(client);
    this.options.metrics?.wsClients.set(this.clients.size);
  }

  clientStats(): ClientStats[] {
    return [...this.clients].map((client) => ({
      id: client.id,
      subscriptions: client.subscriptions.size,
      queued: client.queue.length,
      controlQueued: client.queue.controlLength,
      queuedBytes: client.queue.bytes,
      bufferedAmount: client.ws.bufferedAmount,
      dropped: client.queue.droppedTotal,
      sent: client.framesSent,
    }));
  }

  /** Closes every client with 1001 and waits until their sockets are gone (or the grace ran out). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    const waiting = [...this.clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.ws.readyState === 3) return resolve();
          client.ws.once('close', () => resolve());
        }),
    );
    for (const client of this.clients)
      this.closeClient(client, closeCodes.goingAway, 'server shutting down');
    await Promise.all(waiting);
  }
}
