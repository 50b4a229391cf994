import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { usePostgresServer } from '@realtime-platform/local-infra/jest';
import { createLogger } from '@realtime-platform/realtime-sdk';
import { Alert, AlertRule } from '../../src/domain/index.js';
import { infrastructureErrors } from '../../src/infrastructure/infrastructure.errors.js';
import { databaseSchema } from '../../src/infrastructure/postgres/database-schema.js';
import { PostgresAlertRuleStateStore } from '../../src/infrastructure/postgres/postgres-alert-rule-state.store.js';
import { PostgresAlertRepository } from '../../src/infrastructure/postgres/postgres-alert.repository.js';
import { createPostgresPool } from '../../src/infrastructure/postgres/postgres.pool.js';
import { readMigrations } from '../../src/infrastructure/database/sql-migration-files.js';
import { SqlMigrator } from '../../src/infrastructure/postgres/sql-migrator.js';
import { heartRateOf, t0 } from '../helpers/vitals.fixture.js';

let pool: pg.Pool;
// Before the server's own afterAll (jest runs them in declaration order).
afterAll(() => pool?.end());

const postgres = usePostgresServer();
const migrationsDir = new URL('../../migrations/', import.meta.url);
const logger = createLogger({ level: 'silent' });

// As the applications' role, as on a cluster ({name}-db-secret): migrations and repository work
// without owner or superuser rights.
const connection = () => ({
  type: 'postgres' as const,
  url: postgres().connectionString(),
  host: postgres().host,
  port: postgres().port,
  database: postgres().database,
  user: postgres().application.user,
  password: postgres().application.password,
});

beforeAll(() => {
  pool = createPostgresPool(connection(), {
    schema: databaseSchema,
    applicationName: 'repository-test',
    logger,
  });
});

const migrator = (schema = databaseSchema, dir: string | URL = migrationsDir) =>
  new SqlMigrator(pool, schema, readMigrations(dir), logger);

describe('SqlMigrator', () => {
  it('applies the migrations once; running them again is a no-op', async () => {
    expect(await migrator().migrate()).toEqual({
      applied: ['0001_create_alerts.sql', '0002_create_alert_rule_state.sql'],
      alreadyApplied: [],
    });
    const history = await pool.query(`SELECT * FROM ${databaseSchema}.schema_migrations`);
    expect(await migrator().migrate()).toEqual({
      applied: [],
      alreadyApplied: ['0001_create_alerts.sql', '0002_create_alert_rule_state.sql'],
    });
    expect((await pool.query(`SELECT * FROM ${databaseSchema}.schema_migrations`)).rows).toEqual(
      history.rows,
    );
  });

  it('lets replicas that start together apply each migration exactly once (advisory lock)', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => migrator('concurrent_start').migrate()),
    );
    expect(results.flatMap((result) => result.applied)).toEqual([
      '0001_create_alerts.sql',
      '0002_create_alert_rule_state.sql',
    ]);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '0001_first.sql'), 'CREATE TABLE t (id int);');
    await migrator('edited_history', dir).migrate();
    writeFileSync(join(dir, '0001_first.sql'), 'CREATE TABLE t (id bigint);');
    await expect(migrator('edited_history', dir).migrate()).rejects.toMatchObject({
      code: infrastructureErrors.MIGRATION_CHANGED.code,
    });
  });

  it('rolls back a failing migration, records nothing, and names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '0001_ok.sql'), 'CREATE TABLE ok (id int);');
    writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE half (id int); SELEC nonsense;');
    await expect(migrator('failing_history', dir).migrate()).rejects.toMatchObject({
      code: infrastructureErrors.MIGRATION_FAILED.code,
      message: expect.stringContaining('0002_broken.sql'),
    });
    const { rows } = await pool.query(
      `SELECT version FROM failing_history.schema_migrations ORDER BY version`,
    );
    expect(rows).toEqual([{ version: '0001' }]);
    const half = await pool.query(`SELECT to_regclass('failing_history.half') AS t`);
    expect(half.rows).toEqual([{ t: null }]);
  });
});

describe('PostgresAlertRepository', () => {
  const rule = AlertRule.create({ id: 'heart-rate', metric: 'heartRate', max: 130 });
  const alertOf = (deviceId: string, raisedAt: number, bpm = 150) => {
    const reading = heartRateOf(bpm, { deviceId, at: raisedAt - 7 });
    return Alert.raise(rule.check(reading)!, reading, raisedAt);
  };

  it('stores an alert once, however often it is saved (redeliveries)', async () => {
    const repository = new PostgresAlertRepository(pool);
    const alert = alertOf('bed-1', t0 + 1);
    expect(await repository.save(alert)).toBe(true);
    expect(await repository.save(alert)).toBe(false);
    const [stored] = await repository.listRecent({ limit: 10, deviceId: alert.deviceId });
    expect(stored?.toProps()).toEqual(alert.toProps());
  });

  it('lists newest first, since an instant, of one device, up to a limit', async () => {
    const repository = new PostgresAlertRepository(pool);
    for (const [device, offset] of [
      ['ward-a', 1000],
      ['ward-b', 2000],
      ['ward-a', 3000],
    ] as const)
      await repository.save(alertOf(device, t0 + offset));
    const recent = await repository.listRecent({ limit: 2 });
    expect(recent.map((a) => a.raisedAt)).toEqual([t0 + 3000, t0 + 2000]);
    const since = await repository.listRecent({ limit: 10, since: t0 + 2000 });
    expect(since.map((a) => a.raisedAt)).toEqual([t0 + 3000, t0 + 2000]);
    const wardA = await repository.listRecent({ limit: 10, deviceId: 'ward-a' as never });
    expect(wardA.map((a) => a.deviceId)).toEqual(['ward-a', 'ward-a']);
    // The devices a token grants: only theirs, in SQL (never filtered after the LIMIT).
    const granted = await repository.listRecent({ limit: 1, deviceIds: ['ward-b'] as never });
    expect(granted.map((a) => a.deviceId)).toEqual(['ward-b']);
    const none = await repository.listRecent({ limit: 10, deviceIds: ['ward-z'] as never });
    expect(none).toEqual([]);
  });

  it('fails with a retriable DATABASE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const unreachable = createPostgresPool(
      { ...connection(), port: 9 },
      { schema: databaseSchema, applicationName: 'unreachable', logger },
    );
    try {
      await expect(
        new PostgresAlertRepository(unreachable).save(alertOf('x', t0)),
      ).rejects.toMatchObject({
        code: infrastructureErrors.DATABASE_UNAVAILABLE.code,
        retriable: true,
      });
    } finally {
      await unreachable.end();
    }
  });
});

describe('PostgresAlertRuleStateStore', () => {
  it('keeps the latest transition per (rule, device): an older redelivered one never flips it back', async () => {
    await migrator().migrate();
    const store = new PostgresAlertRuleStateStore(pool);
    await store.record([
      { ruleId: 'heart-rate', deviceId: 'bed-7', tripped: true, recordedAt: t0 + 1000 },
      { ruleId: 'spo2', deviceId: 'bed-7', tripped: true, recordedAt: t0 + 1000 },
    ]);
    await store.record([
      { ruleId: 'spo2', deviceId: 'bed-7', tripped: false, recordedAt: t0 + 2000 },
    ]);
    // A redelivery of the trip (older measurement) changes nothing.
    await store.record([
      { ruleId: 'spo2', deviceId: 'bed-7', tripped: true, recordedAt: t0 + 1000 },
    ]);
    expect(await store.tripped()).toEqual([{ ruleId: 'heart-rate', deviceId: 'bed-7' }]);
  });

  it('fails with a retriable DATABASE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const unreachable = createPostgresPool(
      { ...connection(), port: 9 },
      { schema: databaseSchema, applicationName: 'unreachable', logger },
    );
    try {
      await expect(new PostgresAlertRuleStateStore(unreachable).tripped()).rejects.toMatchObject({
        code: infrastructureErrors.DATABASE_UNAVAILABLE.code,
        retriable: true,
      });
    } finally {
      await unreachable.end();
    }
  });
});
