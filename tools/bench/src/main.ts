// `npm run bench` (or `npx nx run bench:bench`): runs the parts named on the command line (all by
// default), prints a table with the machine and versions, and writes the same as JSON to results/.
import { fileURLToPath } from 'node:url';
import type { BenchPart, BenchPartResult } from './bench-part.js';
import { formatReport, writeReport, type BenchReport } from './bench.report.js';
import { machineInfo } from './machine.info.js';
import { kafkaLimitPart } from './parts/kafka-limit.bench.js';
import { pipelinePart } from './parts/pipeline.bench.js';
import { splitterPart } from './parts/splitter.bench.js';
import { wsFanoutPart } from './parts/ws-fanout.bench.js';

/** Every part, in the order `npm run bench` runs them. Add new parts here. */
const parts: readonly BenchPart[] = [kafkaLimitPart, pipelinePart, splitterPart, wsFanoutPart];

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !parts.some((part) => part.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown part(s): ${unknown.join(', ')}; parts: ${parts.map((p) => p.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = wanted.length === 0 ? parts : parts.filter((p) => wanted.includes(p.name));
  const startedAt = new Date().toISOString();
  const results: Record<string, BenchPartResult | { error: string }> = {};
  for (const part of selected) {
    console.log(`\n== ${part.name}: ${part.description}`);
    const started = performance.now();
    try {
      results[part.name] = await part.run((line) => console.log(`[${part.name}] ${line}`));
    } catch (error) {
      console.error(`[${part.name}] failed:`, error);
      results[part.name] = { error: (error as Error).stack ?? String(error) };
    }
    console.log(`[${part.name}] done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const report: BenchReport = { startedAt, machine: machineInfo(), parts: results };
  console.log(`\n${formatReport(report)}`);
  console.log(`\nresults: ${writeReport(resultsDir, report)}`);
  if (Object.values(results).some((result) => 'error' in result)) process.exitCode = 1;
}

await main();
