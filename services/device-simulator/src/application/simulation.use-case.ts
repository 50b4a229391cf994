import type { MalformedKind } from '../domain/malformed-reading.factory.js';
import type { SimulatedFleet, SimulatedReading } from '../domain/simulated-fleet.model.js';
import type { ReadingPublisher } from './ports/reading-publisher.port.js';

export interface SimulationClock {
  /** Wall clock (epoch ms): reading timestamps. */
  now(): number;
  /** Monotonic ms: rate control. */
  monotonic(): number;
}

export const systemClock: SimulationClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

export interface SimulationPacing {
  /** Readings per second, all devices together. */
  readonly rate: number;
  /** Publish every this many ms (rate × tick / 1000 readings a tick). */
  readonly tickMs: number;
  /** Stop after this many readings. */
  readonly limit?: number;
  /** Stop generating after this long (ms). */
  readonly durationMs?: number;
}

/** A reading the broker acknowledged (QoS 1) or that was sent (QoS 0). */
export interface AcknowledgedReading {
  readonly deviceId: string;
  readonly timestamp: number;
  readonly malformed: MalformedKind | undefined;
  /** When it was handed to MQTT (epoch ms). */
  readonly publishedAt: number;
}

export interface SimulationCounts {
  /** Readings handed to MQTT. */
  readonly published: number;
  readonly acknowledged: number;
  readonly failed: number;
  /** Of the published, how many were malformed, by kind. */
  readonly malformed: Readonly<Record<MalformedKind, number>>;
  readonly inFlight: number;
  /** Readings due by now (rate × elapsed) and not yet published: how far the simulator lags. */
  readonly behind: number;
}

export interface SimulationReport extends SimulationCounts {
  readonly elapsedMs: number;
  /** Acknowledged readings per second over the run. */
  readonly achievedRate: number;
  readonly targetRate: number;
}

export interface SimulationDeps {
  readonly fleet: SimulatedFleet;
  readonly publisher: ReadingPublisher;
  readonly pacing: SimulationPacing;
  readonly clock?: SimulationClock;
  readonly onAcknowledged?: (reading: AcknowledgedReading) => void;
  readonly onFailed?: (reading: SimulatedReading, error: Error) => void;
}

/**
 * Publishes the fleet's readings at `rate` per second without drift: each tick computes how many
 * readings are due since the start (rate × elapsed, from a monotonic clock) and publishes the
 * difference, so late timers and GC pauses are caught up rather than accumulated. The
 * publisher's in-flight limit bounds memory: when the broker is slower than the rate, readings
 * wait (`behind` grows) and the achieved rate says so. Nothing is skipped.
 */
export class Simulation {
  private readonly clock: SimulationClock;
  private startedAt = 0;
  private endedAt: number | undefined;
  private lastAcknowledgedAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private published = 0;
  private acknowledged = 0;
  private failed = 0;
  private malformed: Record<MalformedKind, number> = {
    'bad-json': 0,
    'missing-field': 0,
    'out-of-range': 0,
  };
  private generating = false;
  private finished: Promise<SimulationReport>;
  private finish!: (report: SimulationReport) => void;

  constructor(private readonly deps: SimulationDeps) {
    this.clock = deps.clock ?? systemClock;
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  /** Resolves when a limit or duration is reached and every reading is done (or after `stop`). */
  get done(): Promise<SimulationReport> {
    return this.finished;
  }

  start(): void {
    if (this.generating) return;
    this.generating = true;
    this.startedAt = this.clock.monotonic();
    this.timer = setInterval(() => this.tick(), this.deps.pacing.tickMs);
    this.tick();
  }

  /** Readings due by now. */
  private due(): number {
    const { rate, limit, durationMs } = this.deps.pacing;
    let elapsed = this.clock.monotonic() - this.startedAt;
    if (durationMs !== undefined) elapsed = Math.min(elapsed, durationMs);
    const due = Math.floor((rate * elapsed) / 1000);
    return limit === undefined ? due : Math.min(due, limit);
  }

  /** One tick: publish what is due and fits into the in-flight window. */
  tick(): void {
    if (!this.generating) return;
    const { publisher, pacing } = this.deps;
    let backlog = this.due() - this.published;
    while (backlog > 0 && publisher.inFlight() < publisher.capacity) {
      this.publishOne();
      backlog -= 1;
    }
    const elapsed = this.clock.monotonic() - this.startedAt;
    const limitReached = pacing.limit !== undefined && this.published >= pacing.limit;
    const timeUp = pacing.durationMs !== undefined && elapsed >= pacing.durationMs && backlog <= 0;
    if (limitReached || timeUp) this.stopGenerating();
  }

  private publishOne(): void {
    const reading = this.deps.fleet.next(this.clock.now());
    this.published += 1;
    if (reading.malformed !== undefined) this.malformed[reading.malformed] += 1;
    const publishedAt = this.clock.now();
    this.deps.publisher.publish(
      { lane: reading.deviceIndex % this.deps.publisher.lanes, payload: reading.payload },
      (error) => {
        if (error === undefined) {
          this.acknowledged += 1;
          this.lastAcknowledgedAt = this.clock.monotonic();
          this.deps.onAcknowledged?.({
            deviceId: reading.deviceId,
            timestamp: reading.timestamp,
            malformed: reading.malformed,
            publishedAt,
          });
        } else {
          this.failed += 1;
          this.deps.onFailed?.(reading, error);
        }
        if (!this.generating) this.settleIfDone();
      },
    );
  }

  private stopGenerating(): void {
    if (!this.generating) return;
    this.generating = false;
    clearInterval(this.timer);
    this.timer = undefined;
    this.endedAt ??= this.clock.monotonic();
    this.settleIfDone();
  }

  private settleIfDone(): void {
    if (this.deps.publisher.inFlight() === 0) this.finish(this.report());
  }

  counts(): SimulationCounts {
    return {
      published: this.published,
      acknowledged: this.acknowledged,
      failed: this.failed,
      malformed: { ...this.malformed },
      inFlight: this.deps.publisher.inFlight(),
      behind: this.generating ? Math.max(0, this.due() - this.published) : 0,
    };
  }

  /** Acknowledged per second since the start (until the last acknowledgement once generation ended). */
  achievedRate(): number {
    const end =
      this.endedAt === undefined
        ? this.clock.monotonic()
        : Math.max(this.endedAt, this.lastAcknowledgedAt ?? this.endedAt);
    const seconds = (end - this.startedAt) / 1000;
    return seconds > 0 ? this.acknowledged / seconds : 0;
  }

  report(): SimulationReport {
    const end =
      this.endedAt === undefined
        ? this.clock.monotonic()
        : Math.max(this.endedAt, this.lastAcknowledgedAt ?? this.endedAt);
    return {
      ...this.counts(),
      elapsedMs: end - this.startedAt,
      achievedRate: this.achievedRate(),
      targetRate: this.deps.pacing.rate,
    };
  }

  /**
   * Stops generating and waits (up to `graceMs`) for the readings in flight; resolves with the
   * report. Does not close the publisher.
   */
  async stop(graceMs = 10_000): Promise<SimulationReport> {
    this.stopGenerating();
    let timer: NodeJS.Timeout | undefined;
    const report = await Promise.race([
      this.finished,
      new Promise<SimulationReport>((resolve) => {
        timer = setTimeout(() => resolve(this.report()), graceMs);
      }),
    ]);
    clearTimeout(timer);
    return report;
  }
}
