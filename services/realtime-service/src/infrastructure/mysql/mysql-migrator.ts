import { isRealtimePlatformError } from '@realtime-platform/errors';
import type { Logger } from '@realtime-platform/realtime-sdk';
import type mysql from 'mysql2/promise';
import type { MigrationResult } from '../database/alert-database.js';
import { applyPendingMigrations } from '../database/migration-ledger.js';
import type { Migration } from '../database/sql-migration-files.js';
import { infrastructureErrors } from '../infrastructure.errors.js';
import { mysqlError } from './mysql.errors.js';

/** The history table: MySQL has no schemas inside a database, so it carries the prefix. */
const historyTable = (prefix: string) => `\`${prefix}_schema_migrations\``;

/**
 * Applies the MySQL migrations at start-up, idempotently: under a named lock (GET_LOCK: replicas
 * starting together wait for each other) it creates the history table if missing, skips the
 * migrations recorded there (failing if one was edited since: checksums) and runs each new one,
 * recording it afterwards. MySQL commits DDL implicitly, so a migration is not atomic as on
 * PostgreSQL: each file holds one table's DDL, and a failure names the file.
 */
export class MysqlMigrator {
  constructor(
    private readonly pool: mysql.Pool,
    private readonly prefix: string,
    private readonly migrations: readonly Migration[],
    private readonly logger?: Logger,
  ) {}

  async migrate(): Promise<MigrationResult> {
    let connection: mysql.PoolConnection;
    try {
      connection = await this.pool.getConnection();
    } catch (error) {
      throw mysqlError('connect for migrations', error);
    }
    const lock = `realtime-platform:migrations:${this.prefix}`;
    const table = historyTable(this.prefix);
    try {
      // Waits up to 60 s for another replica's run.
      await connection.query('SELECT GET_LOCK(?, 60)', [lock]);
      try {
        await connection.query(
          `CREATE TABLE IF NOT EXISTS ${table} (
             version    VARCHAR(16) NOT NULL PRIMARY KEY,
             name       VARCHAR(255) NOT NULL,
             checksum   CHAR(64) NOT NULL,
             applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
           ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
        );
        const [rows] = await connection.query<mysql.RowDataPacket[]>(
          `SELECT version, checksum FROM ${table}`,
        );
        const recorded = new Map(
          rows.map((row) => [row.version as string, row.checksum as string]),
        );
        return await applyPendingMigrations(this.migrations, recorded, async (migration) => {
          await this.apply(connection, table, migration);
          this.logger?.info({ migration: migration.name, database: 'mysql' }, 'migration applied');
        });
      } finally {
        await connection.query('SELECT RELEASE_LOCK(?)', [lock]);
      }
    } catch (error) {
      if (isRealtimePlatformError(error)) throw error;
      throw mysqlError('migrations', error);
    } finally {
      connection.release();
    }
  }

  private async apply(
    connection: mysql.PoolConnection,
    table: string,
    migration: Migration,
  ): Promise<void> {
    try {
      // One statement at a time: the pool does not allow multiple statements in one query.
      for (const statement of splitStatements(migration.sql)) await connection.query(statement);
      await connection.query(`INSERT INTO ${table} (version, name, checksum) VALUES (?, ?, ?)`, [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
    } catch (error) {
      throw infrastructureErrors.MIGRATION_FAILED(
        { migration: migration.name, reason: (error as Error).message },
        { cause: error },
      );
    }
  }
}

/**
 * The statements of a migration file: split at `;` ending a line, `--` comment lines dropped.
 * Migrations hold plain DDL (no procedures, no `;` inside strings at a line's end).
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n')
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}
