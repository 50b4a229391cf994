import { createHash } from 'node:crypto';
import { isRealtimePlatformError } from '@realtime-platform/errors';
import type { Logger } from '@realtime-platform/realtime-sdk';
import type pg from 'pg';
import type { MigrationResult } from '../database/alert-database.js';
import { applyPendingMigrations } from '../database/migration-ledger.js';
import type { Migration } from '../database/sql-migration-files.js';
import { infrastructureErrors } from '../infrastructure.errors.js';
import { quoteIdentifier } from './database-schema.js';
import { databaseError } from './postgres.errors.js';

/** A 64-bit advisory lock key per schema (PostgreSQL takes a signed bigint). */
function lockKey(schema: string): string {
  return createHash('sha256')
    .update(`realtime-platform:migrations:${schema}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * Applies SQL migrations at start-up, idempotently: under a PostgreSQL advisory lock (replicas
 * starting together wait for each other), it creates the service's schema and its
 * `schema_migrations` table if missing, skips the migrations recorded there (failing if one was
 * edited since: checksums), and runs each new one in its own transaction with the schema as
 * `search_path`, recording it in the same transaction. Running it again is a no-op.
 */
export class SqlMigrator {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly migrations: readonly Migration[],
    private readonly logger?: Logger,
  ) {}

  async migrate(): Promise<MigrationResult> {
    const schema = quoteIdentifier(this.schema);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw databaseError('connect for migrations', error);
    }
    const key = lockKey(this.schema);
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
             version    TEXT PRIMARY KEY,
             name       TEXT NOT NULL,
             checksum   TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
           )`,
        );
        const { rows } = await client.query<{ version: string; checksum: string }>(
          `SELECT version, checksum FROM ${schema}.schema_migrations`,
        );
        const recorded = new Map(rows.map((row) => [row.version, row.checksum]));
        return await applyPendingMigrations(this.migrations, recorded, async (migration) => {
          await this.apply(client, schema, migration);
          this.logger?.info(
            { migration: migration.name, schema: this.schema },
            'migration applied',
          );
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    } catch (error) {
      if (isRealtimePlatformError(error)) throw error;
      throw databaseError('migrations', error);
    } finally {
      client.release();
    }
  }

  private async apply(client: pg.PoolClient, schema: string, migration: Migration): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL search_path TO ${schema}`);
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO ${schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, migration.checksum],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw infrastructureErrors.MIGRATION_FAILED(
        { migration: migration.name, reason: (error as Error).message },
        { cause: error },
      );
    }
  }
}
