import { timingSafeEqual } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { Aedes, type Client } from 'aedes';
import {
  mqttAccessAllows,
  type MqttIdentity,
  type MqttRole,
} from '@realtime-platform/platform-contract';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { generateMqttRoleUsers } from './credentials.js';
import { freePort } from './free-port.js';
import type { MqttUser } from './mosquitto-broker.js';
import type { MqttServer } from './mqtt-server.js';
import { makeRunDir } from './run-dir.js';

const equalSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * An in-process MQTT broker (aedes) for `rtp dev` on a machine without Mosquitto: the same
 * listeners (MQTT and WebSockets on loopback) and the same rules that matter, authentication on
 * with a generated user per role and the contract's access rules (`mqttAccessAllows`, the rules
 * Mosquitto gets as its ACL file). In memory only: no persistence across restarts, unlike
 * Mosquitto. Platform tests never rely on it; they need the real broker.
 */
export class EmbeddedMqttBroker implements MqttServer {
  readonly kind = 'embedded-aedes';
  readonly host = '127.0.0.1';

  private constructor(
    readonly runDir: string,
    readonly mqttPort: number,
    readonly wsPort: number,
    readonly credentials: Readonly<Record<MqttRole, MqttUser>>,
    private readonly broker: Aedes,
    private readonly servers: readonly (NetServer | HttpServer)[],
    private readonly websockets: WebSocketServer,
  ) {}

  static async start(): Promise<EmbeddedMqttBroker> {
    const runDir = makeRunDir('aedes');
    const logFile = join(runDir, 'aedes.log');
    const log = (line: string): void =>
      appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    const credentials = generateMqttRoleUsers();
    const identities = new WeakMap<Client, MqttIdentity>();
    const broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const role = (Object.keys(credentials) as MqttRole[]).find(
          (candidate) =>
            credentials[candidate].username === username &&
            password !== undefined &&
            equalSecret(password.toString(), credentials[candidate].password),
        );
        log(`${role ? 'accepted' : 'refused'} client ${client.id} as ${username ?? '<none>'}`);
        if (role !== undefined && username !== undefined) {
          identities.set(client, { kind: 'role', role, username });
          return done(null, true);
        }
        // 3.1.1 CONNACK 4: bad user name or password.
        const error = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        return done(error, false);
      },
      authorizePublish: (client, packet, done) => {
        // No client: the broker's own messages.
        const identity = client === null ? undefined : identities.get(client);
        if (client === null || (identity && mqttAccessAllows(identity, 'write', packet.topic))) {
          return done(null);
        }
        log(`denied PUBLISH from ${client.id} to ${packet.topic}`);
        return done(new Error('not authorized'));
      },
      // Like Mosquitto: a subscription is accepted, each message is checked before delivery.
      authorizeForward: (client, packet) => {
        const identity = identities.get(client);
        return identity && mqttAccessAllows(identity, 'read', packet.topic) ? packet : null;
      },
    });
    const mqttPort = await freePort();
    const wsPort = await freePort();
    const tcp = createNetServer(broker.handle);
    const http = createHttpServer();
    const websockets = new WebSocketServer({ server: http });
    websockets.on('connection', (socket, request) => {
      broker.handle(createWebSocketStream(socket), request);
    });
    await Promise.all([
      new Promise<void>((resolve) => tcp.listen(mqttPort, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => http.listen(wsPort, '127.0.0.1', resolve)),
    ]);
    log(`listening on mqtt://127.0.0.1:${mqttPort} and ws://127.0.0.1:${wsPort}`);
    return new EmbeddedMqttBroker(
      runDir,
      mqttPort,
      wsPort,
      credentials,
      broker,
      [tcp, http],
      websockets,
    );
  }

  /** The applications' user (the `app` role): what `{name}-mqtt-secret` carries. */
  get user(): MqttUser {
    return this.credentials.app;
  }

  get mqttUrl(): string {
    return `mqtt://${this.host}:${this.mqttPort}`;
  }

  get wsUrl(): string {
    return `ws://${this.host}:${this.wsPort}`;
  }

  get logFile(): string {
    return join(this.runDir, 'aedes.log');
  }

  async stop(): Promise<void> {
    for (const client of this.websockets.clients) client.terminate();
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      ),
    );
  }
}
