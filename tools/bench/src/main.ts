// `npm run bench` (or `npx nx run bench:bench`): runs the parts named on the command line (all by
// default), prints a table with the machine and versions, and writes the same as JSON to results/.
import { fileURLToPath } from 'node:url';
import type { BenchPart, BenchPartResult } from './bench-part.js';
import { formatReport, writeReport, type BenchReport } from './bench.report.js';
import { machineInfo } from './machine.info.js';
import { kafkaClients, type KafkaClientName } from '@realtime-platform/realtime-sdk';
import { kafkaLimitPart } from './parts/kafka-limit.bench.js';
import { latencyPart } from './parts/latency.bench.js';
import { pipelinePart } from './parts/pipeline.bench.js';
import { splitterPart } from './parts/splitter.bench.js';
import { wsFanoutPart } from './parts/ws-fanout.bench.js';

/**
 * The MessageBus adapters to measure (`BENCH_KAFKA_CLIENTS`, default both real choices): the parts
 * that run the platform's services (pipeline, latency, ws-fanout) run once per adapter, the
 * splitter measures the stream-processor on each beside one Kafka Streams run.
 */
const clients = (process.env.BENCH_KAFKA_CLIENTS ?? 'platformatic,kafkajs')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name.length > 0) as KafkaClientName[];
const unknownClients = clients.filter((name) => !kafkaClients.includes(name));
if (unknownClients.length > 0) {
  console.error(
    `BENCH_KAFKA_CLIENTS: unknown ${unknownClients.join(', ')}; known: ${kafkaClients.join(', ')}`,
  );
  process.exit(2);
}

/** Every part, in the order `npm run bench` runs them. Add new parts here. */
const parts: readonly BenchPart[] = [
  kafkaLimitPart,
  ...clients.map((client) => pipelinePart(client)),
  ...clients.map((client) => latencyPart(client)),
  splitterPart(clients),
  ...clients.map((client) => wsFanoutPart(client)),
];

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const names = [...new Set(parts.map((part) => part.name))];
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown part(s): ${unknown.join(', ')}; parts: ${names.join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length === 0 ? parts : parts.filter((p) => wanted.includes(p.name));
  const startedAt = new Date().toISOString();
  const results: Record<string, BenchPartResult | { error: string }> = {};
  for (const part of selected) {
    const key = part.variant === undefined ? part.name : `${part.name}[${part.variant}]`;
    console.log(`\n== ${key}: ${part.description}`);
    const started = performance.now();
    try {
      results[key] = await part.run((line) => console.log(`[${key}] ${line}`));
    } catch (error) {
      console.error(`[${key}] failed:`, error);
      results[key] = { error: (error as Error).stack ?? String(error) };
    }
    console.log(`[${key}] done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const report: BenchReport = { startedAt, machine: machineInfo(), parts: results };
  console.log(`\n${formatReport(report)}`);
  console.log(`\nresults: ${writeReport(resultsDir, report)}`);
  if (Object.values(results).some((result) => 'error' in result)) process.exitCode = 1;
}

await main();
