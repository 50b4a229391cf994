import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  generate,
  parser as createParser,
  type IConnackPacket,
  type IConnectPacket,
  type IPublishPacket,
  type ISubackPacket,
  type Packet,
} from 'mqtt-packet';
import type { Logger } from '@realtime-platform/realtime-sdk';
import { bridgeErrors } from '../bridge.errors.js';
import type {
  InboundMessage,
  InboundMessageHandler,
  MessageReceipt,
  ReadingSource,
} from '../application/ports/reading-source.port.js';

export interface MqttReadingSourceOptions {
  /** The mqtt secret (`config.platform.mqtt`): `mqtt://` or `mqtts://` URL, user, password. */
  readonly connection: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
  };
  /** Stable per instance: the broker keeps the session (subscription, unacknowledged messages) under it. */
  readonly clientId: string;
  /** Topic filters, each `$share/<group>/<topic>` for a shared subscription; one SUBSCRIBE. */
  readonly filters: readonly string[];
  /**
   * MQTT 5 (receive maximum, session expiry) or 3.1.1; `auto` tries 5 and falls back to 3.1.1 when
   * the broker refuses it (then the broker's own in-flight limit applies: Mosquitto's
   * `max_inflight_messages`, 20 by default).
   */
  readonly protocol: 'auto' | 4 | 5;
  /** MQTT 5 session expiry: how long the broker keeps the session while the bridge is away. */
  readonly sessionExpirySeconds: number;
  /** MQTT 5 receive maximum: unacknowledged messages the broker may have in flight to us. */
  readonly receiveMaximum: number;
  readonly keepaliveSeconds: number;
  readonly connectTimeoutMs: number;
  /** `start()` fails (retriable) when not subscribed within this time. */
  readonly firstConnectTimeoutMs: number;
  readonly reconnectDelayMs: { readonly initial: number; readonly max: number };
  readonly logger?: Logger;
}

export const defaultMqttReadingSourceOptions = {
  protocol: 'auto',
  sessionExpirySeconds: 3600,
  receiveMaximum: 10_000,
  keepaliveSeconds: 30,
  connectTimeoutMs: 10_000,
  firstConnectTimeoutMs: 30_000,
  reconnectDelayMs: { initial: 250, max: 10_000 },
} satisfies Partial<MqttReadingSourceOptions>;

export type MqttReadingSourceInput = Pick<
  MqttReadingSourceOptions,
  'connection' | 'clientId' | 'filters'
> &
  Partial<Omit<MqttReadingSourceOptions, 'connection' | 'clientId' | 'filters'>>;

interface Receipt {
  readonly connection: number;
  readonly messageId: number;
}

/** CONNACK codes meaning "your credentials": 3.1.1 (4, 5) and 5.0 (134, 135). */
const notAuthorizedCodes = new Set([4, 5, 134, 135]);
/** CONNACK codes meaning "unsupported protocol version": 3.1.1 (1) and 5.0 (132). */
const unsupportedProtocolCodes = new Set([1, 132]);
const PINGREQ = Buffer.from([0xc0, 0x00]);
/** DISCONNECT, normal: the broker keeps the session (MQTT 5: for the session expiry interval). */
const DISCONNECT = Buffer.from([0xe0, 0x00]);

/**
 * A persistent QoS 1 subscriber that acknowledges when told to, built on mqtt-packet (the
 * protocol codec of mqtt.js).
 *
 * Why not mqtt.js itself: mqtt.js handles incoming packets strictly one after another and reads
 * the next only once the previous PUBACK was sent. Delaying the PUBACK until Kafka acknowledged
 * the record (its `customHandleAcks`) therefore admits one message per Kafka round trip — about
 * 400 messages/s on this machine with a 2 ms write — instead of batching thousands. Here every
 * message is handed over as soon as it is parsed, and PUBACKs go out later, in order, many per
 * socket write.
 *
 * Session: `clean: false` with a stable client id (MQTT 5: session expiry interval), so what is
 * published while the bridge is away is queued by the broker, and what it sent but we never
 * acknowledged is redelivered (DUP) after a reconnect or a crash.
 */
export class MqttReadingSource implements ReadingSource {
  readonly options: MqttReadingSourceOptions;
  private readonly url: URL;
  private readonly logger: Logger | undefined;
  private protocolVersion: 4 | 5;
  private handler: InboundMessageHandler | undefined;
  private socket: Socket | undefined;
  /** Counts connections; a receipt names the one its message came on. */
  private connectionNumber = 0;
  /** CONNACK accepted on the current socket: messages may arrive (even before the SUBACK). */
  private sessionOpen = false;
  private subscribed = false;
  private everSubscribed = false;
  private paused = false;
  private closed = false;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private lastPacketAt = 0;
  private lastError: string | undefined;
  private starting:
    { resolve: () => void; reject: (error: unknown) => void; timer: NodeJS.Timeout } | undefined;
  private onClosed: (() => void) | undefined;

  constructor(input: MqttReadingSourceInput) {
    this.options = { ...defaultMqttReadingSourceOptions, ...input };
    this.url = new URL(this.options.connection.url);
    if (this.url.protocol !== 'mqtt:' && this.url.protocol !== 'mqtts:') {
      throw bridgeErrors.MQTT_URL_UNSUPPORTED({ url: this.options.connection.url });
    }
    this.protocolVersion = this.options.protocol === 4 ? 4 : 5;
    this.logger = this.options.logger?.child({ component: 'mqtt-source' });
  }

  start(handler: InboundMessageHandler): Promise<void> {
    this.handler = handler;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failStart(
          bridgeErrors.MQTT_CONNECT_FAILED({
            url: this.options.connection.url,
            reason: `not subscribed within ${this.options.firstConnectTimeoutMs} ms (${this.lastError ?? 'no answer'})`,
          }),
        );
      }, this.options.firstConnectTimeoutMs);
      this.starting = { resolve, reject, timer };
      this.open();
    });
  }

  connected(): boolean {
    return this.subscribed && this.socket !== undefined;
  }

  acknowledge(messages: readonly InboundMessage[]): void {
    const socket = this.socket;
    if (socket === undefined || !this.sessionOpen || this.closed) return;
    const current = this.connectionNumber;
    const ids: number[] = [];
    for (const message of messages) {
      const receipt = message.receipt as Receipt | undefined;
      if (receipt !== undefined && receipt.connection === current) ids.push(receipt.messageId);
    }
    if (ids.length === 0) return;
    // PUBACK with reason "success" and no properties is 4 bytes in 3.1.1 and 5.0 alike.
    const bytes = Buffer.allocUnsafe(ids.length * 4);
    let offset = 0;
    for (const id of ids) {
      bytes[offset] = 0x40;
      bytes[offset + 1] = 0x02;
      bytes.writeUInt16BE(id, offset + 2);
      offset += 4;
    }
    socket.write(bytes);
  }

  pause(): void {
    this.paused = true;
    this.socket?.pause();
    clearTimeout(this.reconnectTimer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.paused = true;
    clearTimeout(this.reconnectTimer);
    this.stopTimers();
    this.failStart(
      bridgeErrors.MQTT_CONNECT_FAILED({ url: this.options.connection.url, reason: 'closed' }),
    );
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2000);
      this.onClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      if (this.sessionOpen) socket.write(DISCONNECT);
      socket.end();
    });
  }

  private open(): void {
    if (this.closed) return;
    const connection = ++this.connectionNumber;
    const secure = this.url.protocol === 'mqtts:';
    const host = this.url.hostname;
    const port = Number(this.url.port || (secure ? 8883 : 1883));
    const socket = secure
      ? tlsConnect({ host, port, servername: host })
      : netConnect({ host, port });
    this.socket = socket;
    this.sessionOpen = false;
    this.subscribed = false;
    socket.setNoDelay(true);
    const parser = createParser({ protocolVersion: this.protocolVersion });
    parser.on('packet', (packet: Packet) => this.onPacket(socket, connection, packet));
    parser.on('error', (error: Error) => socket.destroy(error));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(this.connectPacket()));
    socket.on('error', (error) => {
      this.lastError = error.message;
      this.logger?.warn({ err: error }, 'mqtt connection error');
    });
    socket.on('close', () => this.onSocketClosed(socket));
    this.connectTimer = setTimeout(
      () => socket.destroy(new Error(`no CONNACK within ${this.options.connectTimeoutMs} ms`)),
      this.options.connectTimeoutMs,
    );
    if (this.paused) socket.pause();
  }

  private connectPacket(): Buffer {
    const { clientId, connection, keepaliveSeconds } = this.options;
    const packet: IConnectPacket = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: this.protocolVersion,
      clientId,
      clean: false,
      keepalive: keepaliveSeconds,
      username: connection.username,
      password: Buffer.from(connection.password),
    };
    if (this.protocolVersion === 5) {
      packet.properties = {
        sessionExpiryInterval: this.options.sessionExpirySeconds,
        receiveMaximum: this.options.receiveMaximum,
      };
    }
    return generate(packet, { protocolVersion: this.protocolVersion });
  }

  private onPacket(socket: Socket, connection: number, packet: Packet): void {
    if (socket !== this.socket) return;
    this.lastPacketAt = Date.now();
    switch (packet.cmd) {
      case 'publish':
        this.onPublish(socket, connection, packet);
        return;
      case 'connack':
        this.onConnack(socket, packet);
        return;
      case 'suback':
        this.onSuback(socket, packet);
        return;
      case 'disconnect':
        this.logger?.warn({ reasonCode: packet.reasonCode }, 'the broker disconnected us');
        return;
      default:
        return;
    }
  }

  private onPublish(socket: Socket, connection: number, packet: IPublishPacket): void {
    if (packet.qos === 2) {
      // Subscribed at QoS 1, so the broker must downgrade; a QoS 2 message is a protocol error.
      socket.destroy(new Error('QoS 2 PUBLISH on a QoS 1 subscription'));
      return;
    }
    let receipt: MessageReceipt;
    if (packet.qos === 1 && packet.messageId !== undefined) {
      const value: Receipt = { connection, messageId: packet.messageId };
      receipt = value as unknown as MessageReceipt;
    }
    try {
      this.handler?.({
        topic: packet.topic,
        qos: packet.qos,
        payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
        redelivered: packet.dup,
        receipt,
      });
    } catch (error) {
      // Never acknowledged now: drop the connection so the broker redelivers it.
      this.logger?.error({ err: error }, 'message handler failed; reconnecting');
      socket.destroy();
    }
  }

  private onConnack(socket: Socket, packet: IConnackPacket): void {
    clearTimeout(this.connectTimer);
    const code = packet.reasonCode ?? packet.returnCode ?? 0;
    const { url, username } = this.options.connection;
    if (code !== 0) {
      if (
        unsupportedProtocolCodes.has(code) &&
        this.options.protocol === 'auto' &&
        this.protocolVersion === 5
      ) {
        this.logger?.warn(
          { code },
          'the broker does not speak MQTT 5; using 3.1.1 (its own in-flight limit applies)',
        );
        this.protocolVersion = 4;
        this.reconnectAttempt = 0;
      } else if (notAuthorizedCodes.has(code)) {
        const error = bridgeErrors.MQTT_NOT_AUTHORIZED({ url, username, code });
        this.lastError = error.message;
        this.logger?.error({ err: error }, 'mqtt connect refused');
        this.failStart(error);
      } else {
        this.lastError = `CONNACK ${code}`;
        this.logger?.warn({ code }, 'mqtt connect refused');
      }
      socket.destroy();
      return;
    }
    this.reconnectAttempt = 0;
    this.sessionOpen = true;
    if (this.everSubscribed && !packet.sessionPresent) {
      // The broker lost our session (expired, or restarted without persistence): what was
      // published to it meanwhile is gone, and so is what it had in flight to us.
      this.logger?.warn(
        { clientId: this.options.clientId },
        'the broker did not keep the session; readings queued for it are lost',
      );
    }
    const keepalive = packet.properties?.serverKeepAlive ?? this.options.keepaliveSeconds;
    this.startKeepalive(socket, keepalive);
    this.logger?.info(
      {
        clientId: this.options.clientId,
        sessionPresent: packet.sessionPresent,
        protocolVersion: this.protocolVersion,
      },
      'mqtt connected',
    );
    const subscriptions = this.options.filters.map((topic) =>
      this.protocolVersion === 5
        ? // rh 1: retained messages only when the subscription is new, not on every resubscribe.
          { topic, qos: 1 as const, rh: 1 }
        : { topic, qos: 1 as const },
    );
    // Always (re)subscribe: the session may have expired, and the same filter replaces itself.
    socket.write(
      generate(
        { cmd: 'subscribe', messageId: 1, subscriptions },
        { protocolVersion: this.protocolVersion },
      ),
    );
  }

  private onSuback(socket: Socket, packet: ISubackPacket): void {
    const { filters } = this.options;
    const codes = filters.map((_filter, index) => {
      const granted = packet.granted[index];
      return typeof granted === 'number'
        ? granted
        : ((granted as { qos?: number } | undefined)?.qos ?? 128);
    });
    const refused = codes.findIndex((code) => code >= 0x80);
    if (refused >= 0) {
      const error = bridgeErrors.MQTT_SUBSCRIBE_REFUSED({
        filter: filters[refused] ?? '',
        code: codes[refused] ?? 128,
      });
      this.lastError = error.message;
      this.logger?.error({ err: error }, 'mqtt subscribe refused');
      this.failStart(error);
      socket.destroy();
      return;
    }
    if (codes.includes(0)) {
      this.logger?.warn(
        { filters },
        'the broker granted QoS 0 only: readings lost in transit cannot be redelivered',
      );
    }
    this.subscribed = true;
    this.everSubscribed = true;
    this.logger?.info({ filters, grantedQos: codes }, 'mqtt subscribed');
    const starting = this.starting;
    if (starting !== undefined) {
      this.starting = undefined;
      clearTimeout(starting.timer);
      starting.resolve();
    }
  }

  private startKeepalive(socket: Socket, keepaliveSeconds: number): void {
    clearInterval(this.keepaliveTimer);
    if (keepaliveSeconds <= 0) return;
    const periodMs = (keepaliveSeconds * 1000) / 2;
    this.keepaliveTimer = setInterval(() => {
      if (socket !== this.socket || this.paused) return;
      if (Date.now() - this.lastPacketAt > keepaliveSeconds * 1500) {
        socket.destroy(new Error(`no packet from the broker for ${keepaliveSeconds * 1.5} s`));
        return;
      }
      socket.write(PINGREQ);
    }, periodMs);
    this.keepaliveTimer.unref();
  }

  private stopTimers(): void {
    clearTimeout(this.connectTimer);
    clearInterval(this.keepaliveTimer);
  }

  private onSocketClosed(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasSubscribed = this.subscribed;
    this.sessionOpen = false;
    this.subscribed = false;
    this.socket = undefined;
    this.stopTimers();
    if (this.closed) {
      this.onClosed?.();
      this.onClosed = undefined;
      return;
    }
    if (wasSubscribed) this.logger?.warn({ reason: this.lastError }, 'mqtt connection lost');
    if (this.paused) return;
    const { initial, max } = this.options.reconnectDelayMs;
    const delay = Math.min(max, initial * 2 ** Math.min(this.reconnectAttempt, 16));
    this.reconnectAttempt += 1;
    this.reconnectTimer = setTimeout(() => this.open(), delay * (0.8 + Math.random() * 0.4));
  }

  private failStart(error: unknown): void {
    const starting = this.starting;
    if (starting === undefined) return;
    this.starting = undefined;
    clearTimeout(starting.timer);
    // A refused start is final: stop reconnecting.
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.stopTimers();
    this.socket?.destroy();
    starting.reject(error);
  }
}
