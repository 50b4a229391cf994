import { infrastructureErrors } from '../infrastructure.errors.js';
import type { MigrationResult } from './alert-database.js';

/** What a ledger records of one migration: its version, its name and a checksum of its content. */
export interface LedgerMigration {
  /** e.g. `0001`: the ledger's key. */
  readonly version: string;
  /** e.g. `0001_create_alerts.sql`. */
  readonly name: string;
  /** sha256 of the content: an applied migration must never change. */
  readonly checksum: string;
}

/**
 * The ledger's rule, the same on every engine: each migration, in order, is skipped when the
 * ledger (`recorded`: version to checksum) holds its version, and fails the start when its content
 * changed since (MIGRATION_CHANGED); every other one is handed to `apply`, which runs it and
 * records it in the engine's own way (transaction, lock, upsert). Running it again is a no-op.
 */
export async function applyPendingMigrations<M extends LedgerMigration>(
  migrations: readonly M[],
  recorded: ReadonlyMap<string, string>,
  apply: (migration: M) => Promise<void>,
): Promise<MigrationResult> {
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const migration of migrations) {
    const checksum = recorded.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum)
        throw infrastructureErrors.MIGRATION_CHANGED({ migration: migration.name });
      alreadyApplied.push(migration.name);
      continue;
    }
    await apply(migration);
    applied.push(migration.name);
  }
  return { applied, alreadyApplied };
}
