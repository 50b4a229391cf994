/* global console, process, URL -- Node globals; this plain-JS script is not type-checked by tsc. */
// Packages every chart in charts/ (each folder with a Chart.yaml) into a Helm repository folder:
// `helm package` per chart, then `helm repo index` (chart URLs relative to the index, so the
// folder can be served from any address). Serve the folder over HTTP(S) and point the addon's
// chartRepository at it; the cluster tests (tools/local-cluster) serve it on loopback.
//   npx nx run charts:package                      -> charts/dist/helm-repository
//   node scripts/package-charts.js --out <dir> [--url https://charts.example.org/rtp]
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Helm } from '@realtime-platform/toolchain';

const chartsDir = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(chartsDir, 'dist', 'helm-repository') },
    url: { type: 'string' },
  },
});

const charts = readdirSync(chartsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(chartsDir, entry.name, 'Chart.yaml')))
  .map((entry) => entry.name)
  .sort();

const helm = Helm.locate();
// A fresh folder: an archive of a chart version that no longer exists must not be served.
rmSync(values.out, { recursive: true, force: true });
mkdirSync(values.out, { recursive: true });
for (const chart of charts) {
  console.log(`packaged ${await helm.package(join(chartsDir, chart), values.out)}`);
}
await helm.repoIndex(values.out, values.url);
console.log(`wrote ${join(values.out, 'index.yaml')}`);
if (process.exitCode) process.exit(process.exitCode);
