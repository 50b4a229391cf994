import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Helm } from '@realtime-platform/toolchain';
import { addonNames } from './contract-values.js';

/** charts/ of the repository. */
export const chartsDir = fileURLToPath(new URL('../../charts', import.meta.url));

/** The charts the Compositions install (the umbrella carries iot-broker and the Lenses charts inside). */
export const composedCharts = [addonNames.platformChart, addonNames.iotBrokerChart] as const;

export interface PackageChartsOptions {
  /** Where the repository is written (the .tgz archives and index.yaml). */
  destination: string;
  /** The URL the repository will be served from (index.yaml's absolute chart URLs). */
  url?: string;
  charts?: readonly string[];
  helm?: Helm;
}

/**
 * Packages the charts into a Helm repository that the addon's `chartRepository` parameter can point
 * at: `helm package` per chart, then `helm repo index --url`. Serve the directory over HTTP(S)
 * (any static file server, a bucket, GitHub Pages, ChartMuseum).
 */
export async function packageCharts(options: PackageChartsOptions): Promise<string[]> {
  const helm = options.helm ?? Helm.locate();
  mkdirSync(options.destination, { recursive: true });
  const archives: string[] = [];
  for (const chart of options.charts ?? composedCharts) {
    archives.push(await helm.package(join(chartsDir, chart), options.destination));
  }
  await helm.repoIndex(options.destination, options.url);
  return archives;
}
