import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';
import { toolchainErrors } from './toolchain-errors.js';

/** schema-registry/schema-registry.json: the single place the Schema Registry's version is written. */
export interface SchemaRegistryManifest {
  version: string;
  artifact: string;
  /** The runner jar's name; `{version}` stands for the version. */
  runnerJar: string;
}

export const schemaRegistryManifestPath = new URL(
  '../schema-registry/schema-registry.json',
  import.meta.url,
);

export const schemaRegistryManifest: SchemaRegistryManifest = JSON.parse(
  readFileSync(schemaRegistryManifestPath, 'utf8'),
) as SchemaRegistryManifest;

/** The script that installs the Schema Registry; the MISSING error's hint points here. */
export const schemaRegistryInstallScriptPath = new URL(
  '../scripts/install-schema-registry.sh',
  import.meta.url,
).pathname;

/**
 * Where the cached Schema Registry (Apicurio Registry, Confluent-compatible API under
 * /apis/ccompat/v7) is and how to run it: `java -jar <runnerJar>` (its lib/ sits beside it).
 */
export interface SchemaRegistryDistribution {
  version: string;
  home: string;
  runnerJar: string;
  javaBinary: string;
  /**
   * The application class-data archive (AppCDS) the install script's training run wrote, when it
   * did: `-XX:SharedArchiveFile=` halves start-up. Made with the flags the script names; a JVM of
   * another version warns and ignores it.
   */
  classDataArchive: string | undefined;
}

export function schemaRegistryDistribution(
  env: NodeJS.ProcessEnv = process.env,
): SchemaRegistryDistribution {
  const { version } = schemaRegistryManifest;
  const home = join(cacheDir(env), 'schema-registry', version);
  if (!existsSync(join(home, '.complete'))) {
    throw toolchainErrors.MISSING({
      tool: `Schema Registry (Apicurio Registry ${version})`,
      hint: `run "bash ${schemaRegistryInstallScriptPath}" to fetch it from Maven Central into ${home}`,
    });
  }
  const runnerJar = join(home, schemaRegistryManifest.runnerJar.replace('{version}', version));
  const javaBinary = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const archive = join(home, 'app.jsa');
  const classDataArchive = existsSync(archive) ? archive : undefined;
  return { version, home, runnerJar, javaBinary, classDataArchive };
}
