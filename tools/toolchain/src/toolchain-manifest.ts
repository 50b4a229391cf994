import { readFileSync } from 'node:fs';

/** The versions pinned in toolchain.json - the single place they are written. */
export interface ToolchainManifest {
  kafka: { version: string; scala: string };
  jmxExporter: { groupId: string; artifactId: string; version: string; sha256: string };
  helm: { npmPackage: string; npmVersion: string; integrity: string; entry: string };
  debian: { packages: string[] };
}

export const toolchainManifestPath = new URL('../toolchain.json', import.meta.url);

export const toolchainManifest: ToolchainManifest = JSON.parse(
  readFileSync(toolchainManifestPath, 'utf8'),
) as ToolchainManifest;

/** The script that installs everything; its error hints point here. */
export const installScriptPath = new URL('../scripts/install.sh', import.meta.url).pathname;
