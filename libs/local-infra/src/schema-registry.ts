import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemaRegistryDistribution } from '@realtime-platform/toolchain';
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
  ) {}

  static async start(options: SchemaRegistryOptions = {}): Promise<SchemaRegistry> {
    const registry = new SchemaRegistry(makeRunDir('schema-registry'), await freePort(), options);
    mkdirSync(join(registry.runDir, 'tmp'));
    await registry.restart();
    return registry;
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
    if (!this.process) return;
    this.process.signal(signal);
    await this.process.exited;
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

  /** Ready = the Confluent API lists subjects (a JSON array). */
  private async probe(): Promise<boolean> {
    const response = await fetch(`${this.url}/subjects`, { signal: AbortSignal.timeout(2000) });
    return response.ok && Array.isArray(await response.json());
  }
}
