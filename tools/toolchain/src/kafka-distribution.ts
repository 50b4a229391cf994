import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';
import { installScriptPath, toolchainManifest } from './toolchain-manifest.js';
import { toolchainErrors } from './toolchain-errors.js';

/** Where the cached Kafka jars are and how to run them. */
export interface KafkaDistribution {
  version: string;
  libsDir: string;
  /** A `-cp` argument: the JVM expands `dir/*` to every jar in it. */
  classpath: string;
  javaBinary: string;
}

export function kafkaDistribution(env: NodeJS.ProcessEnv = process.env): KafkaDistribution {
  const { version } = toolchainManifest.kafka;
  const home = join(cacheDir(env), 'kafka', version);
  if (!existsSync(join(home, '.complete'))) {
    throw toolchainErrors.MISSING({
      tool: `Kafka ${version} jars`,
      hint: `run "bash ${installScriptPath}" (npm run setup) to resolve them from Maven Central into ${home}`,
    });
  }
  const libsDir = join(home, 'libs');
  const javaBinary = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  return { version, libsDir, classpath: join(libsDir, '*'), javaBinary };
}
