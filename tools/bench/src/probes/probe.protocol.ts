/**
 * The latency probes are processes of their own (`child_process.fork`), so their timestamps never
 * wait behind the bench's or the platform's work: the bench tells them when to start and stop
 * sampling over IPC and gets their figures back, with the CPU the probe itself used (a probe
 * whose own CPU is high is queueing its timestamps: its figure is then an upper bound).
 */
export type ProbeCommand =
  { readonly type: 'start' } | { readonly type: 'stop' } | { readonly type: 'close' };

export interface ProbeResult {
  readonly type: 'result';
  /** Samples (one per frame or message received while sampling). */
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU seconds (user + system) of the probe process while sampling, and the wall seconds. */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** Raw delays (ms), when the bench asked for them (`PROBE_KEEP_SAMPLES=1`). */
  readonly samples?: readonly number[];
}

export type ProbeMessage = { readonly type: 'ready' } | ProbeResult;

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

/**
 * The probe side: collects delays between `start` and `stop` and answers them; `onSample` is
 * what the probe's message handler calls with each delay. Exits on `close` or when the bench goes.
 */
export function serveProbe(close: () => Promise<void> | void): { sample(delayMs: number): void } {
  const send = (message: ProbeMessage): void => {
    process.send?.(message);
  };
  let sampling = false;
  let delays: number[] = [];
  let cpuAtStart = process.cpuUsage();
  let startedAt = performance.now();
  process.on('message', (command: ProbeCommand) => {
    if (command.type === 'start') {
      delays = [];
      cpuAtStart = process.cpuUsage();
      startedAt = performance.now();
      sampling = true;
    } else if (command.type === 'stop') {
      sampling = false;
      const cpu = process.cpuUsage(cpuAtStart);
      const sorted = delays.sort((a, b) => a - b);
      send({
        type: 'result',
        count: sorted.length,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted.at(-1) ?? Number.NaN,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: (performance.now() - startedAt) / 1000,
        ...(process.env.PROBE_KEEP_SAMPLES === '1' ? { samples: sorted } : {}),
      });
    } else if (command.type === 'close') {
      // The client only waits for the exit; a failing close is reported on stderr, not hidden.
      Promise.resolve()
        .then(close)
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error('probe close failed', error);
            process.exit(1);
          },
        );
    }
  });
  process.on('disconnect', () => process.exit(0));
  return {
    sample(delayMs: number): void {
      if (sampling) delays.push(delayMs);
    },
  };
}

export function ready(): void {
  process.send?.({ type: 'ready' } satisfies ProbeMessage);
}
