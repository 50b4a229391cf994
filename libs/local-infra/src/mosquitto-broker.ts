import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { mosquittoBinary, mosquittoPasswdBinary } from '@realtime-platform/toolchain';
import { generatePassword, generateUsername } from './credentials.js';
import { freePort } from './free-port.js';
import { ManagedProcess, runToCompletion } from './managed-process.js';
import type { MqttServer } from './mqtt-server.js';
import { makeRunDir } from './run-dir.js';
import { chownTree, serviceUser } from './service-user.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface MqttUser {
  username: string;
  password: string;
}

export interface MosquittoBrokerOptions {
  /** Users in the password file; one user with a generated password when omitted. */
  users?: MqttUser[];
  /** Extra mosquitto.conf lines appended after the generated ones. */
  extraConfig?: string[];
  readyTimeoutMs?: number;
}

/**
 * mosquitto.conf for a loopback broker with the settings the product needs everywhere:
 * authentication on (2.x refuses anonymous clients only when told to, per listener otherwise),
 * an MQTT and a WebSockets listener, persistence for QoS 1 sessions, Nagle off for latency.
 */
function mosquittoConf(runDir: string, mqttPort: number, wsPort: number, extra: string[]): string {
  return [
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${join(runDir, 'passwd')}`,
    `listener ${mqttPort} 127.0.0.1`,
    'protocol mqtt',
    `listener ${wsPort} 127.0.0.1`,
    'protocol websockets',
    'set_tcp_nodelay true',
    'persistence true',
    `persistence_location ${join(runDir, 'data')}/`,
    // At-least-once tests queue QoS 1 messages for offline persistent sessions: never drop them.
    'max_queued_messages 0',
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

/** A real Mosquitto (Debian package) with a generated config and password file. */
export class MosquittoBroker implements MqttServer {
  readonly kind = 'mosquitto';
  readonly host = '127.0.0.1';

  private constructor(
    readonly runDir: string,
    readonly mqttPort: number,
    readonly wsPort: number,
    readonly users: MqttUser[],
    private readonly process: ManagedProcess,
  ) {}

  static async start(options: MosquittoBrokerOptions = {}): Promise<MosquittoBroker> {
    const binary = mosquittoBinary();
    const runDir = makeRunDir('mosquitto');
    const logFile = join(runDir, 'mosquitto.log');
    const users = options.users ?? [
      { username: generateUsername('device'), password: generatePassword() },
    ];
    const [mqttPort, wsPort] = [await freePort(), await freePort()];
    mkdirSync(join(runDir, 'data'));
    const passwordFile = join(runDir, 'passwd');
    writeFileSync(passwordFile, '', { mode: 0o600 });
    for (const user of users) {
      // mosquitto_passwd writes the salted PBKDF2 hash; the plain password never touches disk.
      await runToCompletion({
        service: 'mosquitto_passwd',
        command: mosquittoPasswdBinary(),
        args: ['-b', passwordFile, user.username, user.password],
        logFile,
        redact: [user.password],
      });
    }
    const configFile = join(runDir, 'mosquitto.conf');
    writeFileSync(configFile, mosquittoConf(runDir, mqttPort, wsPort, options.extraConfig ?? []));
    // As root, mosquitto would switch to its own user after start; start it as that user.
    const runAs = serviceUser('mosquitto');
    chownTree(runDir, runAs);
    const process = new ManagedProcess({
      service: 'mosquitto',
      command: binary,
      args: ['-c', configFile],
      logFile,
      runAs,
    });
    const broker = new MosquittoBroker(runDir, mqttPort, wsPort, users, process);
    await waitUntilReady({
      process,
      probe: () => broker.probe(),
      timeoutMs: options.readyTimeoutMs ?? 20_000,
    });
    return broker;
  }

  get mqttUrl(): string {
    return `mqtt://${this.host}:${this.mqttPort}`;
  }

  get wsUrl(): string {
    return `ws://${this.host}:${this.wsPort}`;
  }

  get logFile(): string {
    return join(this.runDir, 'mosquitto.log');
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The first configured user: what a test connects with unless it needs another. */
  get user(): MqttUser {
    const [first] = this.users;
    if (!first) throw new Error('mosquitto has no users');
    return first;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }

  /** Ready = an authenticated client gets CONNACK on both listeners. */
  private async probe(): Promise<boolean> {
    for (const url of [this.mqttUrl, this.wsUrl]) {
      const client = await connectAsync(url, {
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
