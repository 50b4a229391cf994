import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';
import { installScriptPath, toolchainManifest } from './toolchain-manifest.js';
import { toolchainErrors } from './toolchain-errors.js';

/** The cached JMX exporter (Prometheus' jmx_prometheus_httpserver) and how to run it. */
export interface JmxExporterDistribution {
  version: string;
  /** The runnable jar: `java -jar <jar> [host:]<port> <config.yaml>`. */
  jar: string;
  javaBinary: string;
}

export function jmxExporterDistribution(
  env: NodeJS.ProcessEnv = process.env,
): JmxExporterDistribution {
  const { version, artifactId } = toolchainManifest.jmxExporter;
  const jar = join(cacheDir(env), 'jmx-exporter', version, `${artifactId}.jar`);
  if (!existsSync(jar)) {
    throw toolchainErrors.MISSING({
      tool: `JMX exporter ${version}`,
      hint: `run "bash ${installScriptPath}" (npm run setup) to resolve it from Maven Central into ${jar}`,
    });
  }
  const javaBinary = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  return { version, jar, javaBinary };
}
