import { pathToFileURL } from 'node:url';
import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import type { Logger } from '@realtime-platform/realtime-sdk';
import type { AlertDatabase } from '../database/alert-database.js';
import { readMigrations } from '../database/sql-migration-files.js';
import { MysqlAlertRuleStateStore } from './mysql-alert-rule-state.store.js';
import { MysqlAlertRepository } from './mysql-alert.repository.js';
import { MysqlMigrator } from './mysql-migrator.js';
import { checkMysql, createMysqlPool } from './mysql.pool.js';

/**
 * The service's storage in MySQL: tables named `<prefix>_…` in the application database (MySQL
 * has no schemas inside a database), migrations from `migrations/mysql/`.
 */
export function openMysqlAlertDatabase(
  db: DatabaseConnection,
  options: { prefix: string; migrationsDir: string | URL; logger: Logger },
): AlertDatabase {
  const pool = createMysqlPool(db);
  const migrator = new MysqlMigrator(
    pool,
    options.prefix,
    readMigrations(new URL('mysql/', toUrl(options.migrationsDir))),
    options.logger,
  );
  return {
    type: 'mysql',
    alerts: new MysqlAlertRepository(pool, options.prefix),
    ruleState: new MysqlAlertRuleStateStore(pool, options.prefix),
    migrate: () => migrator.migrate(),
    check: () => checkMysql(pool),
    close: () => pool.end(),
  };
}

/** A directory as a URL ending in `/` (relative URLs resolve inside it). */
export function toUrl(dir: string | URL): URL {
  const url = typeof dir === 'string' ? pathToFileURL(dir) : dir;
  return url.href.endsWith('/') ? url : new URL(`${url.href}/`);
}
