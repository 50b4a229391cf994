// The loop of local-cluster's stand-in controllers (the function and provider runtimes, the pod
// config gate): one round, a pause, the next round, until stopped. A round that throws is retried by
// the next one, as a controller requeues: the API server may be busy, starting or stopping, or what
// the round waits for may not exist yet.
import { setTimeout as sleep } from 'node:timers/promises';

export class ReconcileLoop {
  private stopped = false;
  private readonly loop: Promise<void>;

  /** Starts the rounds at once: construct it last, when `round` can run. */
  constructor(
    private readonly round: () => Promise<void>,
    private readonly intervalMs = 500,
  ) {
    this.loop = this.run();
  }

  /** Ends the loop; resolves once the round in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.round();
      } catch {
        // The next round retries.
      }
      await sleep(this.intervalMs);
    }
  }
}
