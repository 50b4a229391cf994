/* global console -- a Node script; not type-checked by tsc. */
// Packages the charts the Compositions install into a Helm repository:
//   npm run package-charts -w @realtime-platform/addons -- --url https://charts.example.org/rtp [--out dir]
// (nx: npx nx run addons:package-charts -- --url ...). Serve the directory, then
//   vela addon enable ./addons/realtime-platform chartRepository=https://charts.example.org/rtp
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addonsRoot, packageCharts } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    out: { type: 'string', default: join(addonsRoot, 'dist', 'helm-repository') },
  },
});
const archives = await packageCharts({ destination: values.out, url: values.url });
for (const archive of archives) console.log(`packaged ${archive}`);
console.log(
  `wrote ${join(values.out, 'index.yaml')}${values.url ? ` (charts at ${values.url})` : ''}`,
);
