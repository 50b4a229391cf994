import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import type { Logger } from '@realtime-platform/realtime-sdk';
import { openMongodbAlertDatabase } from '../mongodb/mongodb-alert.database.js';
import { openMysqlAlertDatabase } from '../mysql/mysql-alert.database.js';
import { openPostgresAlertDatabase } from '../postgres/postgres-alert.database.js';
import type { AlertDatabase } from './alert-database.js';

export interface OpenAlertDatabaseOptions {
  /**
   * The service's namespace in the shared application database: PostgreSQL's schema, the prefix
   * of MySQL's tables and MongoDB's collections.
   */
  readonly namespace: string;
  readonly applicationName: string;
  /** The package's `migrations/` directory (PostgreSQL's; MySQL's in `mysql/` below it). */
  readonly migrationsDir: string | URL;
  readonly logger: Logger;
}

/** The adapter of the engine `DB_TYPE` names: the one place the engine is chosen. */
export function openAlertDatabase(
  db: DatabaseConnection,
  options: OpenAlertDatabaseOptions,
): AlertDatabase {
  switch (db.type) {
    case 'postgres':
      return openPostgresAlertDatabase(db, { ...options, schema: options.namespace });
    case 'mysql':
      return openMysqlAlertDatabase(db, { ...options, prefix: options.namespace });
    case 'mongodb':
      return openMongodbAlertDatabase(db, { ...options, prefix: options.namespace });
  }
}
