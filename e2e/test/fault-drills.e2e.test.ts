import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  drillPassed,
  faultNames,
  formatDrillTable,
  runDrills,
  type DrillResult,
} from '@realtime-platform/drills';

/**
 * Issue 21: every fault drill with readings flowing, on real Kafka, Mosquitto, PostgreSQL and
 * Schema Registry, the services as their own processes. Each fault: zero acknowledged readings
 * lost, every expected alert stored exactly once, nothing legitimate dead-lettered. The recovery
 * time is printed (a figure, not an assertion: performance is measured, never asserted).
 */
describe('fault drills (kill -9 each part while readings flow)', () => {
  let results: DrillResult[] = [];

  beforeAll(async () => {
    results = await runDrills({
      faults: faultNames,
      rate: 100,
      devices: 20,
      steadyMs: 6_000,
      outageScale: 1,
      drainTimeoutMs: 180_000,
      log: (line) => process.stdout.write(`[drill] ${line}\n`),
    });
    process.stdout.write(`\n${formatDrillTable(results)}\n`);
  }, 1_500_000);

  afterAll(() => {
    if (!results.every(drillPassed)) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  });

  it.each(faultNames)(
    '%s: no acknowledged reading lost, nothing dead-lettered, every expected alert stored once',
    (fault) => {
      const result = results.find((r) => r.fault === fault);
      expect(result).toBeDefined();
      expect(result?.sent).toBeGreaterThan(0);
      expect(result?.acknowledged).toBeGreaterThan(0);
      expect(result?.lostIds).toEqual([]);
      expect(result?.deadLettered).toBe(0);
      expect(result?.alertsExpected).toBeGreaterThan(0);
      expect(result?.alertsMissing).toEqual([]);
      expect(result?.alertsUnexpected).toEqual([]);
      expect(result?.alertsUnpublished).toBe(0);
    },
  );

  it('none: without a fault every reading is in device_data and each vital topic exactly once (one intake)', () => {
    const result = results.find((r) => r.fault === 'none');
    expect(result).toMatchObject({
      delivered: result?.sent,
      acknowledged: result?.sent,
      duplicatesIn: 0,
      duplicatesOut: 0,
    });
  });
});
