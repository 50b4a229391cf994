import type { DrillResult } from './drill-runner.js';

const columns: readonly { title: string; of: (r: DrillResult) => string }[] = [
  { title: 'fault', of: (r) => r.fault },
  { title: 'outage s', of: (r) => (r.outageMs / 1000).toFixed(0) },
  { title: 'sent', of: (r) => String(r.sent) },
  { title: 'acked', of: (r) => String(r.acknowledged) },
  { title: 'delivered', of: (r) => String(r.delivered) },
  { title: 'lost', of: (r) => String(r.lost) },
  { title: 'dup in/out', of: (r) => `${r.duplicatesIn}/${r.duplicatesOut}` },
  { title: 'DLQ', of: (r) => String(r.deadLettered) },
  { title: 'alerts exp/stored', of: (r) => `${r.alertsExpected}/${r.alertsStored}` },
  {
    title: 'alerts missing/extra',
    of: (r) => `${r.alertsMissing.length}/${r.alertsUnexpected.length}`,
  },
  {
    title: 'recovery s',
    of: (r) => (r.recoverySeconds === undefined ? 'never' : r.recoverySeconds.toFixed(1)),
  },
];

/**
 * The drill figures as a Markdown table (what the closing note and the terminal show): one row a
 * fault. "recovery s" runs from the component being back (a server: restarted; a service: its
 * restart began) to the first reading reaching the vital topics (for PostgreSQL and the realtime
 * service: the first alert reaching the database).
 */
export function formatDrillTable(results: readonly DrillResult[]): string {
  const rows = results.map((result) => columns.map((column) => column.of(result)));
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(columns.map((column) => column.title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ].join('\n');
}

/** True when a drill lost nothing, dead-lettered nothing and stored exactly the expected alerts. */
export const drillPassed = (result: DrillResult): boolean =>
  result.lost === 0 &&
  result.deadLettered === 0 &&
  result.alertsMissing.length === 0 &&
  result.alertsUnexpected.length === 0;
