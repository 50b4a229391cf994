import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { infrastructureErrors } from '../infrastructure.errors.js';
import type { LedgerMigration } from './migration-ledger.js';

/** One SQL migration file (PostgreSQL's in migrations/, MySQL's in migrations/mysql/). */
export interface Migration extends LedgerMigration {
  readonly sql: string;
}

const migrationFile = /^([0-9]{4})_[a-z0-9_]+\.sql$/;

/** The migrations of a directory: `NNNN_snake_name.sql`, in order. Other files are ignored. */
export function readMigrations(directory: string | URL): Migration[] {
  const dir = typeof directory === 'string' ? directory : fileURLToPath(directory);
  const migrations = readdirSync(dir)
    .filter((name) => migrationFile.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return {
        version: (migrationFile.exec(name) as RegExpExecArray)[1] as string,
        name,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
  const versions = new Set<string>();
  for (const migration of migrations) {
    if (versions.has(migration.version))
      throw infrastructureErrors.MIGRATION_FAILED({
        migration: migration.name,
        reason: `version ${migration.version} is used twice`,
      });
    versions.add(migration.version);
  }
  return migrations;
}
