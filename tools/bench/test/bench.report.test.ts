import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReport, writeReport, type BenchReport } from '../src/bench.report.js';
import { timeAtLevel } from '../src/topic.progress.js';

const report: BenchReport = {
  startedAt: '2026-11-26T12:00:00.000Z',
  machine: {
    cores: 2,
    cpu: 'Test CPU',
    memoryGiB: 24,
    os: 'linux 6',
    node: 'v20.20.2',
    java: 'openjdk version "17.0.15"',
    kafka: '3.9.0',
  },
  parts: {
    splitter: {
      figures: [
        { name: 'stream-processor throughput', value: 51234.5, unit: 'readings/s' },
        { name: 'ratio', value: 1.234, unit: '×', note: 'target ≥ 1.0' },
      ],
    },
    broken: { error: 'Error: no broker\n  at somewhere' },
  },
};

describe('bench report', () => {
  it('should print the machine, the versions and one aligned row per figure', () => {
    const text = formatReport(report);
    expect(text).toContain('machine: 2 cores (Test CPU), 24 GiB, linux 6');
    expect(text).toContain('versions: Node v20.20.2, openjdk version "17.0.15", Kafka 3.9.0');
    expect(text).toMatch(/splitter\s+stream-processor throughput\s+51,235\s+readings\/s/);
    expect(text).toMatch(/splitter\s+ratio\s+1\.23\s+×\s+target ≥ 1\.0/);
    expect(text).toMatch(/broken\s+FAILED\s+.*Error: no broker$/m);
  });

  it('should write the same report as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const file = writeReport(dir, report);
    expect(file).toMatch(/2026-11-26T12-00-00-000Z-splitter\+broken\.json$/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(report);
  });
});

describe('timeAtLevel', () => {
  it('should interpolate the time a count was reached between samples', () => {
    const samples: [number, number][] = [
      [0, 0],
      [100, 40],
      [200, 100],
    ];
    expect(timeAtLevel(samples, 40)).toBe(100);
    expect(timeAtLevel(samples, 70)).toBe(150);
    expect(timeAtLevel(samples, 101)).toBeNaN();
  });
});
