import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaRegistryDistribution } from '@realtime-platform/toolchain';
import { generatePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface SchemaRegistryOptions {
  /** JVM heap, e.g. "384m". */
  heap?: string;
  /** Extra Quarkus/Apicurio config properties (passed as -D); they win over the defaults. */
  overrides?: Record<string, string | number | boolean>;
  readyTimeoutMs?: number;
  /**
   * Who may log in (HTTP basic) and what they may do; nobody else, and no anonymous request, gets
   * an answer. Defaults to one generated `admin` user. `KafkaBroker.registryUsers()` gives the
   * platform's Kafka principals with their Kafka passwords (the SDK logs in with the kafka secret's).
   */
  users?: readonly SchemaRegistryUser[];
}

/** A registry login: `read` lists and fetches schemas, `write` also registers them, `admin` all. */
export interface SchemaRegistryUser {
  readonly username: string;
  readonly password: string;
  readonly access: 'read' | 'write' | 'admin';
}

/** Apicurio's roles for each access level (its role-based authorization). */
const apicurioRoles: Record<SchemaRegistryUser['access'], string> = {
  read: 'sr-readonly',
  write: 'sr-developer',
  admin: 'sr-admin',
};

/**
 * Apicurio Registry 3's own authentication without an OIDC server: Quarkus HTTP basic over its
 * embedded user realm (the app ships quarkus-elytron-security-properties-file), and Apicurio's
 * role-based authorization reading the roles of that identity. Written to `config/application.properties`
 * in the working directory, which Quarkus reads at start, so no password is on a command line.
 */
export function schemaRegistryAuthProperties(
  users: readonly SchemaRegistryUser[],
): Record<string, string | boolean> {
  const properties: Record<string, string | boolean> = {
    'quarkus.http.auth.basic': true,
    'quarkus.security.users.embedded.enabled': true,
    'quarkus.security.users.embedded.plain-text': true,
    'apicurio.auth.role-based-authorization': true,
    'apicurio.auth.role-source': 'token',
    'apicurio.auth.anonymous-read-access.enabled': false,
    'apicurio.auth.authenticated-read-access.enabled': false,
  };
  for (const user of users) {
    properties[`quarkus.security.users.embedded.users."${user.username}"`] = user.password;
    properties[`quarkus.security.users.embedded.roles."${user.username}"`] =
      apicurioRoles[user.access];
  }
  return properties;
}

/** The path under which Apicurio Registry serves the Confluent Schema Registry API. */
export const CONFLUENT_COMPAT_PATH = '/apis/ccompat/v7';

/**
 * A real Schema Registry speaking the Confluent API (Apicurio Registry from the toolchain cache)
 * on a free loopback port. Storage is an H2 file in the run directory, written before each answer
 * (WRITE_DELAY=0), so `kill('SIGKILL')` + `restart()` keep every schema and id, as a Confluent
 * registry keeps them in its Kafka topic. A new registry starts empty.
 */
export class SchemaRegistry {
  readonly host = '127.0.0.1';
  private process: ManagedProcess | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
    private readonly options: SchemaRegistryOptions,
    readonly users: readonly SchemaRegistryUser[],
  ) {}

  static async start(options: SchemaRegistryOptions = {}): Promise<SchemaRegistry> {
    const users = options.users ?? [
      { username: 'admin', password: generatePassword(), access: 'admin' as const },
    ];
    const registry = new SchemaRegistry(
      makeRunDir('schema-registry'),
      await freePort(),
      options,
      users,
    );
    mkdirSync(join(registry.runDir, 'tmp'));
    mkdirSync(join(registry.runDir, 'config'));
    writeFileSync(
      join(registry.runDir, 'config', 'application.properties'),
      Object.entries(schemaRegistryAuthProperties(users))
        .map(([key, value]) => `${key}=${String(value)}\n`)
        .join(''),
      { mode: 0o600 },
    );
    await registry.restart();
    return registry;
  }

  /** A login with `access` (the first such user), e.g. for a test's own registry calls. */
  credentials(access: SchemaRegistryUser['access'] = 'admin'): SchemaRegistryUser {
    const user = this.users.find((candidate) => candidate.access === access);
    if (user === undefined) throw new TypeError(`no registry user with ${access} access`);
    return user;
  }

  /** `Authorization: Basic …` of a user. */
  authorization(access: SchemaRegistryUser['access'] = 'admin'): string {
    const { username, password } = this.credentials(access);
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** The Confluent-compatible base URL, e.g. for a serializer's `schema.registry.url`. */
  get url(): string {
    return `http://${this.host}:${this.port}${CONFLUENT_COMPAT_PATH}`;
  }

  get logFile(): string {
    return join(this.runDir, 'schema-registry.log');
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Starts the registry on the same port and storage (first start, or after stop or kill). */
  async restart(): Promise<void> {
    if (this.running) return;
    const { runnerJar, javaBinary, classDataArchive } = schemaRegistryDistribution();
    const cds = classDataArchive ? [`-XX:SharedArchiveFile=${classDataArchive}`] : [];
    this.process = new ManagedProcess({
      service: 'schema-registry',
      command: javaBinary,
      args: [...this.jvmArgs(), ...cds, '-jar', runnerJar],
      logFile: this.logFile,
      cwd: this.runDir,
    });
    await waitUntilReady({
      process: this.process,
      probe: () => this.probe(),
      timeoutMs: this.options.readyTimeoutMs,
    });
  }

  /** Simulates a crash (SIGKILL) or an orderly shutdown (SIGTERM) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.process?.kill(signal);
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  private jvmArgs(): string[] {
    const tmp = join(this.runDir, 'tmp');
    const properties: Record<string, string | number | boolean> = {
      'quarkus.http.host': this.host,
      'quarkus.http.port': this.port,
      // SQL storage on an H2 file that is written before the registry answers: a crash keeps ids.
      'apicurio.storage.kind': 'sql',
      'apicurio.storage.sql.kind': 'h2',
      'apicurio.datasource.url': `jdbc:h2:file:${join(this.runDir, 'storage', 'registry')};WRITE_DELAY=0`,
      'apicurio.import.work-dir': tmp,
      'apicurio.storage.snapshot.location': tmp,
      'java.io.tmpdir': tmp,
      ...this.options.overrides,
    };
    const heap = this.options.heap ?? '384m';
    return [
      `-Xmx${heap}`,
      // A small heap, serial GC, C1 only: a quick start for a short-lived test server. Keep these
      // in step with jvm_flags in tools/toolchain/scripts/install-schema-registry.sh (AppCDS).
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
    ];
  }

  /** Ready = the Confluent API lists subjects (a JSON array) to a logged-in user. */
  private async probe(): Promise<boolean> {
    const [user] = this.users;
    const headers: Record<string, string> =
      user === undefined
        ? {}
        : {
            authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`,
          };
    const response = await fetch(`${this.url}/subjects`, {
      headers,
      signal: AbortSignal.timeout(2000),
    });
    return response.ok && Array.isArray(await response.json());
  }
}
