import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type IClientOptions } from 'mqtt';
import {
  mosquittoBrokerSettings,
  mosquittoSettingsConf,
  mqttRoleCatalog,
  renderMosquittoAcl,
  type MosquittoBrokerSettings,
  type MqttIdentity,
  type MqttRole,
} from '@realtime-platform/platform-contract';
import { mosquittoBinary, mosquittoPasswdBinary } from '@realtime-platform/toolchain';
import { generateMqttRoleUsers, generatePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import type { MqttServer } from './mqtt-server.js';
import { makeRunDir } from './run-dir.js';
import { chownTree, serviceUser } from './service-user.js';
import { generateTlsFiles, type TlsFiles } from './tls-certificates.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface MqttUser {
  username: string;
  password: string;
}

export interface MosquittoBrokerOptions {
  /**
   * Device users (user name = deviceId, a generated password each): each may publish to its own
   * `health/device_data/<deviceId>` only.
   */
  devices?: readonly string[];
  /** Overrides of the contract's broker settings, e.g. a larger packet for a test of the bridge's own limit. */
  settings?: Partial<MosquittoBrokerSettings>;
  /** Also a TLS listener, with a CA and server certificate generated for this broker (openssl). */
  tls?: boolean;
  /** Extra mosquitto.conf lines appended after the generated ones. */
  extraConfig?: string[];
  readyTimeoutMs?: number;
}

interface Listeners {
  mqttPort: number;
  wsPort: number;
  tls: { port: number; files: TlsFiles } | undefined;
}

/**
 * mosquitto.conf for a loopback broker with the settings the product has everywhere: the
 * contract's broker settings (persistence, queue limits, packet size), authentication on (2.x
 * refuses anonymous clients only when told to, per listener otherwise) with the contract's ACL,
 * an MQTT and a WebSockets listener (and a TLS one when asked), Nagle off for latency.
 */
function mosquittoConf(
  runDir: string,
  listeners: Listeners,
  settings: MosquittoBrokerSettings,
  extra: readonly string[],
): string {
  const tls = listeners.tls;
  return [
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${join(runDir, 'passwd')}`,
    `acl_file ${join(runDir, 'acl')}`,
    `listener ${listeners.mqttPort} 127.0.0.1`,
    'protocol mqtt',
    `listener ${listeners.wsPort} 127.0.0.1`,
    'protocol websockets',
    ...(tls === undefined
      ? []
      : [
          `listener ${tls.port} 127.0.0.1`,
          'protocol mqtt',
          `certfile ${tls.files.certFile}`,
          `keyfile ${tls.files.keyFile}`,
        ]),
    'set_tcp_nodelay true',
    `persistence_location ${join(runDir, 'data')}/`,
    ...mosquittoSettingsConf(settings),
    // A file, not stdout: mosquitto flushes its log file per line but block-buffers a piped stdout.
    `log_dest file ${join(runDir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'log_timestamp_format %Y-%m-%dT%H:%M:%S',
    ...extra,
  ].join('\n');
}

/**
 * A real Mosquitto (Debian package) with the platform's identities: a generated user per role
 * (`credentials`), the device users asked for (`device(id)`), the contract's ACL, its broker
 * settings and persistence in the run directory. `kill('SIGKILL')` + `restart()` simulate a crash
 * and a restart on the same ports and data directory.
 */
export class MosquittoBroker implements MqttServer {
  readonly kind = 'mosquitto';
  readonly host = '127.0.0.1';
  private process: ManagedProcess;

  private constructor(
    readonly runDir: string,
    private readonly listeners: Listeners,
    readonly credentials: Readonly<Record<MqttRole, MqttUser>>,
    private readonly deviceUsers: ReadonlyMap<string, MqttUser>,
    readonly settings: MosquittoBrokerSettings,
    private readonly readyTimeoutMs: number,
  ) {
    this.process = this.spawn();
  }

  static async start(options: MosquittoBrokerOptions = {}): Promise<MosquittoBroker> {
    mosquittoBinary();
    const runDir = makeRunDir('mosquitto');
    const logFile = join(runDir, 'mosquitto.log');
    const credentials = generateMqttRoleUsers();
    const devices = new Map(
      (options.devices ?? []).map((id) => [id, { username: id, password: generatePassword() }]),
    );
    const identities: MqttIdentity[] = [
      ...mqttRoleCatalog.map((role): MqttIdentity => ({
        kind: 'role',
        role: role.role,
        username: credentials[role.role].username,
      })),
      ...[...devices.keys()].map((id): MqttIdentity => ({ kind: 'device', username: id })),
    ];
    const acl = renderMosquittoAcl(identities);
    const [mqttPort, wsPort] = [await freePort(), await freePort()];
    mkdirSync(join(runDir, 'data'));
    let tls: Listeners['tls'];
    if (options.tls === true) {
      const dir = join(runDir, 'tls');
      mkdirSync(dir);
      tls = { port: await freePort(), files: await generateTlsFiles(dir, logFile) };
    }
    const passwordFile = join(runDir, 'passwd');
    writeFileSync(passwordFile, '', { mode: 0o600 });
    for (const user of [...Object.values(credentials), ...devices.values()]) {
      // mosquitto_passwd writes the salted PBKDF2 hash; the plain password never touches disk.
      await runToCompletion({
        service: 'mosquitto_passwd',
        command: mosquittoPasswdBinary(),
        args: ['-b', passwordFile, user.username, user.password],
        logFile,
        redact: [user.password],
      });
    }
    writeFileSync(join(runDir, 'acl'), acl, { mode: 0o600 });
    const settings = { ...mosquittoBrokerSettings, ...options.settings };
    const listeners: Listeners = { mqttPort, wsPort, tls };
    writeFileSync(
      join(runDir, 'mosquitto.conf'),
      mosquittoConf(runDir, listeners, settings, options.extraConfig ?? []),
    );
    // As root, mosquitto would switch to its own user after start; start it as that user.
    chownTree(runDir, serviceUser('mosquitto'));
    const broker = new MosquittoBroker(
      runDir,
      listeners,
      credentials,
      devices,
      settings,
      options.readyTimeoutMs ?? 20_000,
    );
    try {
      await broker.waitUntilReady();
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  get mqttPort(): number {
    return this.listeners.mqttPort;
  }

  get wsPort(): number {
    return this.listeners.wsPort;
  }

  get mqttUrl(): string {
    return `mqtt://${this.host}:${this.mqttPort}`;
  }

  get wsUrl(): string {
    return `ws://${this.host}:${this.wsPort}`;
  }

  /** `mqtts://127.0.0.1:<port>` when started with `tls: true`. */
  get tlsUrl(): string | undefined {
    const tls = this.listeners.tls;
    return tls === undefined ? undefined : `mqtts://${this.host}:${tls.port}`;
  }

  /** The PEM of the CA that signed the TLS listener's certificate (trust it as `ca`). */
  get tlsCa(): string | undefined {
    const tls = this.listeners.tls;
    return tls === undefined ? undefined : readFileSync(tls.files.caFile, 'utf8');
  }

  get logFile(): string {
    return join(this.runDir, 'mosquitto.log');
  }

  get dataDir(): string {
    return join(this.runDir, 'data');
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** The applications' user (the `app` role): what `{name}-mqtt-secret` carries. */
  get user(): MqttUser {
    return this.credentials.app;
  }

  /** The user of a device given in `devices` (user name = deviceId). */
  device(deviceId: string): MqttUser {
    const user = this.deviceUsers.get(deviceId);
    if (user === undefined) throw new Error(`mosquitto has no device user ${deviceId}`);
    return user;
  }

  /** Simulates a crash (SIGKILL) or an orderly shutdown (SIGTERM) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.process.kill(signal);
  }

  /** Starts the broker again on the same ports, files and data directory (after kill/stop). */
  async restart(): Promise<void> {
    if (this.process.running) return;
    this.process = this.spawn();
    await this.waitUntilReady();
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }

  private spawn(): ManagedProcess {
    return new ManagedProcess({
      service: 'mosquitto',
      command: mosquittoBinary(),
      args: ['-c', join(this.runDir, 'mosquitto.conf')],
      logFile: this.logFile,
      runAs: serviceUser('mosquitto'),
    });
  }

  private waitUntilReady(): Promise<void> {
    return waitUntilReady({
      process: this.process,
      probe: () => this.probe(),
      timeoutMs: this.readyTimeoutMs,
    });
  }

  /** Ready = an authenticated client gets CONNACK on every listener. */
  private async probe(): Promise<boolean> {
    const urls: [string, IClientOptions][] = [
      [this.mqttUrl, {}],
      [this.wsUrl, {}],
    ];
    const { tlsUrl, tlsCa } = this;
    if (tlsUrl !== undefined && tlsCa !== undefined) urls.push([tlsUrl, { ca: tlsCa }]);
    for (const [url, extra] of urls) {
      const client = await connectAsync(url, {
        ...extra,
        username: this.user.username,
        password: this.user.password,
        reconnectPeriod: 0,
        connectTimeout: 1000,
      });
      await client.endAsync();
    }
    return true;
  }
}
