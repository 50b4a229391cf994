import { createHash } from 'node:crypto';
import type { Logger } from '@realtime-platform/realtime-sdk';
import type { Db } from 'mongodb';
import type { MigrationResult } from '../database/alert-database.js';
import { applyPendingMigrations } from '../database/migration-ledger.js';
import { infrastructureErrors } from '../infrastructure.errors.js';
import { mongodbError } from './mongodb.errors.js';

/** One step of the MongoDB layout: collections and indexes, described as data. */
export interface MongodbMigration {
  readonly version: string;
  readonly name: string;
  /** Collection suffix (`<prefix>_<collection>`) and its indexes (name, keys, options). */
  readonly collection: string;
  readonly indexes: readonly { name: string; keys: Record<string, 1 | -1> }[];
}

/**
 * The layout the MongoDB adapter needs, in order (the counterpart of migrations/*.sql). Applied
 * steps are recorded with a checksum of their description: an edited step fails the start.
 */
export const mongodbMigrations: readonly MongodbMigration[] = [
  {
    version: '0001',
    name: '0001_create_alerts',
    collection: 'alerts',
    // GET /api/alerts: newest first, optionally since an instant and of one device.
    indexes: [
      { name: 'raised_at_idx', keys: { raisedAt: -1, _id: -1 } },
      { name: 'device_raised_at_idx', keys: { deviceId: 1, raisedAt: -1, _id: -1 } },
    ],
  },
  {
    version: '0002',
    name: '0002_create_alert_rule_state',
    collection: 'alert_rule_state',
    // Loaded at start and after a rebalance: the tripped pairs.
    indexes: [{ name: 'tripped_idx', keys: { tripped: 1 } }],
  },
];

const checksumOf = (migration: MongodbMigration): string =>
  createHash('sha256').update(JSON.stringify(migration)).digest('hex');

/**
 * Brings the collections and indexes up to date at start-up. Every step is idempotent
 * (createCollection of an existing collection and createIndex of an existing index change
 * nothing), so replicas starting together need no lock: each records the step with an upsert.
 */
export class MongodbMigrator {
  constructor(
    private readonly db: Db,
    private readonly prefix: string,
    private readonly migrations: readonly MongodbMigration[] = mongodbMigrations,
    private readonly logger?: Logger,
  ) {}

  async migrate(): Promise<MigrationResult> {
    const history = this.db.collection<{ _id: string; name: string; checksum: string }>(
      `${this.prefix}_schema_migrations`,
    );
    let recorded: Map<string, string>;
    try {
      recorded = new Map((await history.find({}).toArray()).map((d) => [d._id, d.checksum]));
    } catch (error) {
      throw mongodbError('migrations', error);
    }
    const steps = this.migrations.map((migration) => ({
      ...migration,
      checksum: checksumOf(migration),
    }));
    return applyPendingMigrations(steps, recorded, async (migration) => {
      const name = `${this.prefix}_${migration.collection}`;
      try {
        const exists = await this.db.listCollections({ name }, { nameOnly: true }).hasNext();
        if (!exists) await this.db.createCollection(name);
        for (const index of migration.indexes)
          await this.db.collection(name).createIndex(index.keys, { name: index.name });
        await history.updateOne(
          { _id: migration.version },
          { $set: { name: migration.name, checksum: migration.checksum } },
          { upsert: true },
        );
      } catch (error) {
        throw infrastructureErrors.MIGRATION_FAILED(
          { migration: migration.name, reason: (error as Error).message },
          { cause: error },
        );
      }
      this.logger?.info({ migration: migration.name, database: 'mongodb' }, 'migration applied');
    });
  }
}
