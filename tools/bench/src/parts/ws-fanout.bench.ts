import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import type { BenchFigure, BenchPart } from '../bench-part.js';

interface FanoutRate {
  readonly server: 'hub' | 'raw-ws';
  readonly kafkaClient: string;
  readonly rate: number;
  readonly clients: number;
  readonly producedPerSecond: number;
  readonly framesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly dropped: number;
}

const sdkDir = fileURLToPath(new URL('../../../../libs/realtime-sdk/', import.meta.url));

/**
 * The SDK's WebSocket fan-out benchmark (libs/realtime-sdk/bench: one Kafka topic → the hub →
 * 1,000 JWT-authenticated clients in a worker thread; then the same Kafka records broadcast by a
 * raw `ws` server to the same client harness, the baseline), run as its own process so its event
 * loops are not shared with anything else; its per-rate JSON lines become figures here.
 */
export function wsFanoutPart(kafkaClient: string): BenchPart {
  return {
    name: 'ws-fanout',
    variant: kafkaClient,
    description: `one topic to 1,000 WebSocket clients through the SDK hub, beside a raw ws broadcast of the same frames (MessageBus ${kafkaClient})`,
    async run(log) {
      const child = execa('npm', ['run', 'bench'], {
        cwd: sdkDir,
        env: {
          BENCH_RATES: process.env.BENCH_WS_RATES ?? '100,200,400,800',
          BENCH_KAFKA_CLIENT: kafkaClient,
        },
        all: true,
      });
      child.all?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (/^(hub|raw-ws) +target /.test(line)) log(line);
        }
      });
      const { all } = await child;
      const rates = (all ?? '')
        .split('\n')
        .filter((line) => line.startsWith('BENCH_JSON '))
        .map((line) => JSON.parse(line.slice('BENCH_JSON '.length)) as FanoutRate);
      const of = (server: FanoutRate['server']) => rates.filter((r) => r.server === server);
      const hub = of('hub');
      const raw = of('raw-ws');
      if (hub.length === 0 || raw.length === 0)
        throw new Error('the SDK benchmark printed no results');
      const best = (list: readonly FanoutRate[]) =>
        list.reduce((a, b) => (b.framesPerSecond > a.framesPerSecond ? b : a));
      const hubBest = best(hub);
      const rawBest = best(raw);
      const low = (list: readonly FanoutRate[]) => list.find((r) => r.rate === 100) ?? list[0]!;
      const figures: BenchFigure[] = [
        {
          name: `ws fan-out hub, ${hubBest.clients} clients (best: ${hubBest.rate} rec/s)`,
          value: hubBest.framesPerSecond,
          unit: 'frames/s',
        },
        {
          name: `baseline raw ws broadcast (best: ${rawBest.rate} rec/s)`,
          value: rawBest.framesPerSecond,
          unit: 'frames/s',
        },
        {
          name: 'ratio hub / raw ws (best frames/s)',
          value: hubBest.framesPerSecond / rawBest.framesPerSecond,
          unit: '×',
          note: 'target ≥ 0.9',
        },
      ];
      for (const r of hub) {
        const baseline = raw.find((candidate) => candidate.rate === r.rate);
        if (baseline === undefined) continue;
        figures.push({
          name: `hub / raw ws frames/s at ${r.rate} rec/s`,
          value: r.framesPerSecond / baseline.framesPerSecond,
          unit: '×',
          note: `${Math.round(r.framesPerSecond)} vs ${Math.round(baseline.framesPerSecond)}`,
        });
      }
      figures.push(
        {
          name: `hub delay p99 at ${low(hub).rate} rec/s`,
          value: low(hub).p99Ms,
          unit: 'ms',
          note: `raw ws ${low(raw).p99Ms} ms`,
        },
        {
          name: `hub delay p50 at ${low(hub).rate} rec/s`,
          value: low(hub).p50Ms,
          unit: 'ms',
          note: `raw ws ${low(raw).p50Ms} ms`,
        },
      );
      return { figures, details: { kafkaClient, rates } };
    },
  };
}
