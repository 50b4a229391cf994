import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import type { Logger } from '@realtime-platform/realtime-sdk';
import type { AlertDatabase, MigrationResult } from '../database/alert-database.js';
import { readMigrations } from '../database/sql-migration-files.js';
import { PostgresAlertRuleStateStore } from './postgres-alert-rule-state.store.js';
import { PostgresAlertRepository } from './postgres-alert.repository.js';
import { checkPostgres, createPostgresPool } from './postgres.pool.js';
import { SqlMigrator } from './sql-migrator.js';

/** The service's storage in PostgreSQL: its own schema in the application database. */
export function openPostgresAlertDatabase(
  db: DatabaseConnection,
  options: { schema: string; applicationName: string; migrationsDir: string | URL; logger: Logger },
): AlertDatabase {
  const pool = createPostgresPool(db, options);
  const migrator = new SqlMigrator(
    pool,
    options.schema,
    readMigrations(options.migrationsDir),
    options.logger,
  );
  return {
    type: 'postgres',
    alerts: new PostgresAlertRepository(pool),
    ruleState: new PostgresAlertRuleStateStore(pool),
    migrate: (): Promise<MigrationResult> => migrator.migrate(),
    check: () => checkPostgres(pool),
    close: () => pool.end(),
  };
}
