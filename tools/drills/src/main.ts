// `npm run drill` (or `npx nx run drills:drill -- --rate 200 --faults kafka,mosquitto`): runs the
// fault drills on a local platform and prints the table: readings sent, acknowledged, delivered,
// lost, alerts, and the time to recover after each fault. Exit 1 when a drill lost anything.
import { parseArgs } from 'node:util';
import { faultNames, parseFaultNames } from './drill-faults.js';
import { defaultDrillOptions, runDrills } from './drill-runner.js';
import { drillPassed, formatDrillTable } from './drill-table.js';

const { values } = parseArgs({
  options: {
    faults: { type: 'string', default: faultNames.join(',') },
    rate: { type: 'string', default: String(defaultDrillOptions.rate) },
    devices: { type: 'string', default: String(defaultDrillOptions.devices) },
    'outage-scale': { type: 'string', default: String(defaultDrillOptions.outageScale) },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    `npm run drill -- [--faults ${faultNames.join(',')}] [--rate R] [--devices N] [--outage-scale X]`,
  );
  process.exit(0);
}

const results = await runDrills({
  ...defaultDrillOptions,
  faults: parseFaultNames(values.faults),
  rate: Number(values.rate),
  devices: Number(values.devices),
  outageScale: Number(values['outage-scale']),
  log: (line) => console.log(`[drill] ${line}`),
});
console.log(`\n${formatDrillTable(results)}`);
for (const result of results.filter((r) => !drillPassed(r))) {
  console.log(
    `\n${result.fault}: lost ${result.lostIds.join(', ') || '-'}; alerts missing ${result.alertsMissing.slice(0, 10).join(', ') || '-'}; unexpected ${result.alertsUnexpected.slice(0, 10).join(', ') || '-'}`,
  );
}
if (!results.every(drillPassed)) process.exitCode = 1;
