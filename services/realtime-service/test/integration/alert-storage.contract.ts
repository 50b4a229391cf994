// The repository contract every storage engine keeps: one suite, run by
// alert-storage.{postgres,mysql,mongodb}.test.ts against a real server each. The application only
// sees AlertRepository and AlertRuleStateStore: an engine that passes this suite is swappable.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import { createLogger } from '@realtime-platform/realtime-sdk';
import { Alert, AlertRule } from '../../src/domain/index.js';
import type { AlertDatabase } from '../../src/infrastructure/database/alert-database.js';
import { openAlertDatabase } from '../../src/infrastructure/database/open-alert-database.js';
import { infrastructureErrors } from '../../src/infrastructure/infrastructure.errors.js';
import { databaseSchema } from '../../src/infrastructure/postgres/database-schema.js';
import { heartRateOf, t0 } from '../helpers/vitals.fixture.js';

const logger = createLogger({ level: 'silent' });
const migrationsDir = new URL('../../migrations/', import.meta.url);

/** The service's storage on `connection`, as main.ts opens it. */
export const openStorage = (connection: DatabaseConnection): AlertDatabase =>
  openAlertDatabase(connection, {
    namespace: databaseSchema,
    applicationName: 'storage-contract-test',
    migrationsDir,
    logger,
  });

/**
 * @param connection the applications' account on a real server (what `{name}-db-secret` gives)
 * @param unreachable the same account on a port nothing listens on
 */
export function describeAlertStorageContract(
  engine: string,
  connection: () => DatabaseConnection,
  unreachable: () => DatabaseConnection,
): void {
  describe(`alert storage contract on ${engine}`, () => {
    let database: AlertDatabase;
    beforeAll(() => {
      database = openStorage(connection());
    });
    afterAll(() => database?.close());

    const rule = AlertRule.create({ id: 'heart-rate', metric: 'heartRate', max: 130 });
    const alertOf = (deviceId: string, raisedAt: number, bpm = 150) => {
      const reading = heartRateOf(bpm, { deviceId, at: raisedAt - 7 });
      return Alert.raise(rule.check(reading)!, reading, raisedAt);
    };

    it('migrates once as the applications’ account; running it again applies nothing', async () => {
      const first = await database.migrate();
      expect(first.applied.length).toBeGreaterThan(0);
      expect(first.alreadyApplied).toEqual([]);
      expect(await database.migrate()).toEqual({ applied: [], alreadyApplied: first.applied });
      // A second replica (its own pool) finds everything applied too.
      const replica = openStorage(connection());
      try {
        expect((await replica.migrate()).applied).toEqual([]);
      } finally {
        await replica.close();
      }
    });

    it('answers its readiness check', async () => {
      expect(await database.check()).toEqual({ ok: true, detail: 'reachable' });
    });

    it('stores an alert once, however often it is saved (redeliveries), every field exact to the millisecond', async () => {
      const alert = alertOf('bed-1', t0 + 1);
      expect(await database.alerts.save(alert)).toBe(true);
      expect(await database.alerts.save(alert)).toBe(false);
      const stored = await database.alerts.listRecent({ limit: 10, deviceId: alert.deviceId });
      expect(stored.map((a) => a.toProps())).toEqual([alert.toProps()]);
    });

    it('lists newest first, since an instant, of one device, of the granted devices, up to a limit', async () => {
      for (const [device, offset] of [
        ['ward-a', 1000],
        ['ward-b', 2000],
        ['ward-a', 3000],
      ] as const)
        await database.alerts.save(alertOf(device, t0 + offset));
      const recent = await database.alerts.listRecent({ limit: 2 });
      expect(recent.map((a) => a.raisedAt)).toEqual([t0 + 3000, t0 + 2000]);
      const since = await database.alerts.listRecent({ limit: 10, since: t0 + 2000 });
      expect(since.map((a) => a.raisedAt)).toEqual([t0 + 3000, t0 + 2000]);
      const wardA = await database.alerts.listRecent({ limit: 10, deviceId: 'ward-a' as never });
      expect(wardA.map((a) => [a.deviceId, a.raisedAt])).toEqual([
        ['ward-a', t0 + 3000],
        ['ward-a', t0 + 1000],
      ]);
      // The devices a token grants: only theirs, in the query (never filtered after the limit).
      const granted = await database.alerts.listRecent({
        limit: 1,
        deviceIds: ['ward-b'] as never,
      });
      expect(granted.map((a) => a.deviceId)).toEqual(['ward-b']);
      expect(await database.alerts.listRecent({ limit: 10, deviceIds: [] })).toEqual([]);
      expect(
        await database.alerts.listRecent({ limit: 10, deviceIds: ['ward-z'] as never }),
      ).toEqual([]);
    });

    it('orders alerts raised in the same millisecond by id, newest id first', async () => {
      const at = t0 + 50_000;
      const one = alertOf('tie-1', at);
      const two = alertOf('tie-2', at);
      await database.alerts.save(one);
      await database.alerts.save(two);
      const listed = await database.alerts.listRecent({ limit: 2, since: at });
      expect(listed.map((a) => a.id)).toEqual([one.id, two.id].sort().reverse());
    });

    it('keeps the latest transition per (rule, device): an older redelivered one never flips it back', async () => {
      await database.ruleState.record([
        { ruleId: 'heart-rate', deviceId: 'bed-7', tripped: true, recordedAt: t0 + 1000 },
        { ruleId: 'spo2', deviceId: 'bed-7', tripped: true, recordedAt: t0 + 1000 },
      ]);
      await database.ruleState.record([
        { ruleId: 'spo2', deviceId: 'bed-7', tripped: false, recordedAt: t0 + 2000 },
      ]);
      // A redelivery of the trip (older measurement) changes nothing.
      await database.ruleState.record([
        { ruleId: 'spo2', deviceId: 'bed-7', tripped: true, recordedAt: t0 + 1000 },
      ]);
      // Within one batch the latest measurement wins as well, in any order.
      await database.ruleState.record([
        { ruleId: 'heart-rate', deviceId: 'bed-8', tripped: true, recordedAt: t0 + 3000 },
        { ruleId: 'heart-rate', deviceId: 'bed-8', tripped: false, recordedAt: t0 + 2000 },
      ]);
      await database.ruleState.record([]);
      const tripped = await database.ruleState.tripped();
      expect(tripped.sort((a, b) => a.deviceId.localeCompare(b.deviceId))).toEqual([
        { ruleId: 'heart-rate', deviceId: 'bed-7' },
        { ruleId: 'heart-rate', deviceId: 'bed-8' },
      ]);
    });

    it('fails with a retriable DATABASE_UNAVAILABLE when the server cannot be reached', async () => {
      const down = openStorage(unreachable());
      try {
        const unavailable = {
          code: infrastructureErrors.DATABASE_UNAVAILABLE.code,
          retriable: true,
        };
        await expect(down.alerts.save(alertOf('x', t0))).rejects.toMatchObject(unavailable);
        await expect(down.alerts.listRecent({ limit: 1 })).rejects.toMatchObject(unavailable);
        await expect(down.ruleState.tripped()).rejects.toMatchObject(unavailable);
        expect((await down.check()).ok).toBe(false);
      } finally {
        await down.close();
      }
    });
  });
}
