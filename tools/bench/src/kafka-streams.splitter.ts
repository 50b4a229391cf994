import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess, makeRunDir } from '@realtime-platform/local-infra';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import { splitConfig } from './split.config.js';

const buildScript = fileURLToPath(
  new URL('../scripts/build-kafka-streams-splitter.sh', import.meta.url),
);

/**
 * Builds the Kafka Streams baseline (cached by a hash of its sources, so usually a no-op) and
 * answers the directory with its jar and `lib/`.
 */
export function buildKafkaStreamsSplitter(): string {
  const out = execFileSync('bash', [buildScript], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = out.trim().split('\n').pop();
  if (dir === undefined || dir === '') throw new Error('the baseline build printed no directory');
  return dir;
}

export interface KafkaStreamsSplitterOptions {
  /** From `buildKafkaStreamsSplitter()`. */
  readonly dir: string;
  readonly bootstrapServers: string;
  /** Extra client properties (SASL login): written to a 0600 file, never on the command line. */
  readonly clientProperties?: Readonly<Record<string, string>>;
  /** The registry login (written as `basic.auth.user.info` into the same 0600 file). */
  readonly registryLogin?: { readonly username: string; readonly password: string };
  /** Confluent-compatible registry URL. */
  readonly registryUrl: string;
  readonly applicationId: string;
  readonly input: string;
  /** Prefix of its output topics (and of its DLQ), so its records never mix with others'. */
  readonly outputPrefix: string;
  readonly threads?: number;
  readonly heap?: string;
}

/** The Kafka Streams baseline as its own JVM, with the split config of the health domain. */
export class KafkaStreamsSplitter {
  private constructor(
    readonly process: ManagedProcess,
    readonly runDir: string,
  ) {}

  static start(options: KafkaStreamsSplitterOptions): KafkaStreamsSplitter {
    const runDir = makeRunDir('kafka-streams-splitter');
    const configFile = join(runDir, 'split.json');
    writeFileSync(configFile, JSON.stringify(splitConfig(), null, 2));
    const clientConfigFile = join(runDir, 'client.properties');
    writeFileSync(
      clientConfigFile,
      Object.entries({
        ...options.clientProperties,
        ...(options.registryLogin === undefined
          ? {}
          : {
              'basic.auth.user.info': `${options.registryLogin.username}:${options.registryLogin.password}`,
            }),
      })
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
      { mode: 0o600 },
    );
    const { javaBinary } = kafkaDistribution();
    const process = new ManagedProcess({
      service: 'kafka-streams-splitter',
      command: javaBinary,
      args: [
        `-Xmx${options.heap ?? '512m'}`,
        '-cp',
        `${join(options.dir, 'kafka-streams-splitter.jar')}:${join(options.dir, 'lib', '*')}`,
        'dev.realtimeplatform.bench.KafkaStreamsSplitter',
        '--bootstrap',
        options.bootstrapServers,
        '--client-config',
        clientConfigFile,
        '--registry',
        options.registryUrl,
        '--config',
        configFile,
        '--application-id',
        options.applicationId,
        '--input',
        options.input,
        '--output-prefix',
        options.outputPrefix,
        '--threads',
        String(options.threads ?? 1),
        '--state-dir',
        join(runDir, 'state'),
      ],
      logFile: join(runDir, 'kafka-streams-splitter.log'),
    });
    return new KafkaStreamsSplitter(process, runDir);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get logFile(): string {
    return this.process.logFile;
  }

  /** SIGTERM: Kafka Streams closes (commits) in its shutdown hook. */
  async stop(): Promise<void> {
    await this.process.stop(30_000);
  }
}
