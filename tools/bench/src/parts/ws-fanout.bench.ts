import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import type { BenchPart } from '../bench-part.js';

interface FanoutRate {
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
 * 1,000 JWT-authenticated clients in a worker thread), run as its own process so its event loops
 * are not shared with anything else; its per-rate JSON lines become figures here.
 */
export const wsFanoutPart: BenchPart = {
  name: 'ws-fanout',
  description:
    'one topic to 1,000 WebSocket clients through the SDK hub: frames/s and delivery delay',
  async run(log) {
    const child = execa('npm', ['run', 'bench'], {
      cwd: sdkDir,
      env: { BENCH_RATES: process.env.BENCH_WS_RATES ?? '100,200,400' },
      all: true,
    });
    child.all?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('target ')) log(line);
      }
    });
    const { all } = await child;
    const rates = (all ?? '')
      .split('\n')
      .filter((line) => line.startsWith('BENCH_JSON '))
      .map((line) => JSON.parse(line.slice('BENCH_JSON '.length)) as FanoutRate);
    if (rates.length === 0) throw new Error('the SDK benchmark printed no results');
    const best = rates.reduce((a, b) => (b.framesPerSecond > a.framesPerSecond ? b : a));
    const atTarget = rates.find((r) => r.rate === 100) ?? rates[0]!;
    return {
      figures: [
        {
          name: `ws fan-out, ${best.clients} clients (best rate ${best.rate} rec/s)`,
          value: best.framesPerSecond,
          unit: 'frames/s',
          note: 'target ≥ 100k',
        },
        {
          name: `ws delivery delay p99 at ${atTarget.rate} rec/s`,
          value: atTarget.p99Ms,
          unit: 'ms',
        },
        {
          name: `ws delivery delay p50 at ${atTarget.rate} rec/s`,
          value: atTarget.p50Ms,
          unit: 'ms',
        },
      ],
      details: { rates },
    };
  },
};
