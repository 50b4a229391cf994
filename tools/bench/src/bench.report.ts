import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchPartResult } from './bench-part.js';
import type { MachineInfo } from './machine.info.js';

export interface BenchReport {
  readonly startedAt: string;
  readonly machine: MachineInfo;
  readonly parts: Readonly<Record<string, BenchPartResult | { readonly error: string }>>;
}

const formatValue = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
};

/** The report as a plain-text table: machine first, then one row per figure. */
export function formatReport(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`,
    `versions: Node ${machine.node}, ${machine.java}, Kafka ${machine.kafka}`,
    '',
  ];
  const rows: string[][] = [['part', 'figure', 'value', 'unit', 'note']];
  for (const [part, result] of Object.entries(report.parts)) {
    if ('error' in result) {
      rows.push([part, 'FAILED', '', '', result.error.split('\n')[0] ?? '']);
      continue;
    }
    for (const figure of result.figures) {
      rows.push([part, figure.name, formatValue(figure.value), figure.unit, figure.note ?? '']);
    }
  }
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, column) =>
        column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  lines.push(line(rows[0] as string[]));
  lines.push(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows.slice(1)) lines.push(line(row));
  return lines.join('\n');
}

/** Writes the report as JSON into `dir` (git-ignored `results/`); answers the file. */
export function writeReport(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const parts = Object.keys(report.parts)
    .join('+')
    .replace(/[^a-z0-9+-]+/gi, '-');
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-${parts}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
