import { afterEach, describe, expect, it } from '@jest/globals';
import { parseReading } from '@realtime-platform/health-domain';
import type {
  OutgoingPayload,
  ReadingPublisher,
} from '../../src/application/ports/reading-publisher.port.js';
import {
  Simulation,
  type AcknowledgedReading,
  type SimulationClock,
  type SimulationPacing,
} from '../../src/application/simulation.use-case.js';
import { SimulatedFleet } from '../../src/domain/simulated-fleet.model.js';

/** Time stands still until the test moves it. */
class ManualClock implements SimulationClock {
  monotonicMs = 0;
  now(): number {
    return 1_767_225_600_000 + Math.floor(this.monotonicMs);
  }
  monotonic(): number {
    return this.monotonicMs;
  }
}

/** Records publishes; acknowledges them when told (or at once with `auto`). */
class FakePublisher implements ReadingPublisher {
  readonly published: OutgoingPayload[] = [];
  private readonly waiting: ((error?: Error) => void)[] = [];
  auto = true;
  closed = false;

  constructor(
    readonly capacity = 1_000_000,
    readonly lanes = 1,
  ) {}

  publish(message: OutgoingPayload, done: (error?: Error) => void): void {
    this.published.push(message);
    if (this.auto) done();
    else this.waiting.push(done);
  }
  inFlight(): number {
    return this.waiting.length;
  }
  /** One at a time, as the broker's PUBACKs arrive: in flight drops by one before each callback. */
  acknowledgeAll(error?: Error): void {
    for (let done = this.waiting.shift(); done !== undefined; done = this.waiting.shift()) {
      done(error);
    }
  }
  connected(): boolean {
    return true;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const simulations: Simulation[] = [];
afterEach(async () => {
  await Promise.all(simulations.splice(0).map((simulation) => simulation.stop(0)));
});

function setup(pacing: Partial<SimulationPacing>, publisher = new FakePublisher()) {
  const clock = new ManualClock();
  const acknowledged: AcknowledgedReading[] = [];
  const simulation = new Simulation({
    fleet: new SimulatedFleet({
      devices: 10,
      seed: 1,
      deviceIdPrefix: 'd-',
      malformedRatio: 0,
      heartRateSpikeRatio: 0,
    }),
    publisher,
    // The interval never fires in these tests (1 h); they call tick() as time moves.
    pacing: { rate: 1000, tickMs: 3_600_000, ...pacing },
    clock,
    onAcknowledged: (reading) => acknowledged.push(reading),
  });
  simulations.push(simulation);
  simulation.start();
  return { simulation, clock, publisher, acknowledged };
}

describe('Simulation', () => {
  it('should publish rate × elapsed readings, however irregular the ticks (no drift)', () => {
    const { simulation, clock, publisher } = setup({ rate: 3000 });
    // Ticks late, early and uneven, like timers under load: 10 s in total.
    const steps = [10, 13, 7, 25, 1, 9, 40, 10, 0.5, 11.5];
    for (let i = 0; i < 1000; i += 1) {
      clock.monotonicMs += steps[i % steps.length] as number;
      simulation.tick();
    }
    expect(clock.monotonicMs).toBe(12_700);
    expect(publisher.published).toHaveLength(Math.floor((3000 * 12_700) / 1000));
    expect(simulation.counts()).toMatchObject({ behind: 0, acknowledged: 38_100 });
  });

  it('should catch up after a stall instead of losing the readings', () => {
    const { simulation, clock, publisher } = setup({ rate: 1000 });
    clock.monotonicMs = 100;
    simulation.tick();
    expect(publisher.published).toHaveLength(100);
    clock.monotonicMs = 2100; // a 2 s pause (GC, a slow host)
    simulation.tick();
    expect(publisher.published).toHaveLength(2100);
  });

  it('should wait when the in-flight window is full and report how far behind it is', () => {
    const publisher = new FakePublisher(50);
    publisher.auto = false;
    const { simulation, clock } = setup({ rate: 1000 }, publisher);
    clock.monotonicMs = 200;
    simulation.tick();
    expect(publisher.published).toHaveLength(50);
    expect(simulation.counts()).toMatchObject({ inFlight: 50, behind: 150, acknowledged: 0 });
    publisher.acknowledgeAll();
    simulation.tick();
    expect(publisher.published).toHaveLength(100);
    expect(simulation.counts()).toMatchObject({ acknowledged: 50, behind: 100 });
  });

  it('should stop at the limit and be done once every reading is acknowledged', async () => {
    const publisher = new FakePublisher();
    publisher.auto = false;
    const { simulation, clock, acknowledged } = setup({ rate: 1000, limit: 250 }, publisher);
    clock.monotonicMs = 10_000;
    simulation.tick();
    expect(publisher.published).toHaveLength(250);
    let done = false;
    const finished = simulation.done.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    publisher.acknowledgeAll();
    await finished;
    const report = await simulation.done;
    expect(report).toMatchObject({ published: 250, acknowledged: 250, failed: 0, inFlight: 0 });
    expect(acknowledged).toHaveLength(250);
    expect(report.achievedRate).toBeGreaterThan(0);
  });

  it('should stop generating after its duration', async () => {
    const { simulation, clock, publisher } = setup({ rate: 100, durationMs: 2000 });
    clock.monotonicMs = 5000;
    simulation.tick();
    const report = await simulation.done;
    expect(publisher.published).toHaveLength(200);
    expect(report.elapsedMs).toBe(5000);
  });

  it('should keep each device on one connection and hand over real readings', () => {
    const publisher = new FakePublisher(1_000_000, 3);
    const { simulation, clock, acknowledged } = setup({ rate: 1000 }, publisher);
    clock.monotonicMs = 100;
    simulation.tick();
    const laneOf = new Map<string, Set<number>>();
    publisher.published.forEach((message) => {
      const parsed = parseReading(message.payload);
      if (!parsed.ok) throw new Error('invalid reading');
      const lanes = laneOf.get(parsed.reading.deviceId) ?? new Set<number>();
      lanes.add(message.lane);
      laneOf.set(parsed.reading.deviceId, lanes);
    });
    expect(laneOf.size).toBe(10);
    for (const lanes of laneOf.values()) expect(lanes.size).toBe(1);
    expect(new Set(publisher.published.map((m) => m.lane))).toEqual(new Set([0, 1, 2]));
    expect(acknowledged[0]).toMatchObject({ deviceId: 'd-00001', malformed: undefined });
  });

  it('should count failed publishes', async () => {
    const publisher = new FakePublisher();
    publisher.auto = false;
    const { simulation, clock } = setup({ rate: 1000, limit: 10 }, publisher);
    clock.monotonicMs = 1000;
    simulation.tick();
    publisher.acknowledgeAll(new Error('connection closed'));
    expect((await simulation.done).failed).toBe(10);
  });

  it('stop should end generation and report', async () => {
    const { simulation, clock } = setup({ rate: 1000 });
    clock.monotonicMs = 500;
    simulation.tick();
    const report = await simulation.stop(1000);
    expect(report).toMatchObject({ published: 500, acknowledged: 500, targetRate: 1000 });
    clock.monotonicMs = 1000;
    simulation.tick();
    expect(simulation.counts().published).toBe(500);
  });
});
