import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import type { Logger } from '@realtime-platform/realtime-sdk';
import { MongoClient } from 'mongodb';
import type { AlertDatabase } from '../database/alert-database.js';
import {
  MongodbAlertRuleStateStore,
  type RuleStateDocument,
} from './mongodb-alert-rule-state.store.js';
import { MongodbAlertRepository, type AlertDocument } from './mongodb-alert.repository.js';
import { MongodbMigrator } from './mongodb-migrations.js';

/**
 * The service's storage in MongoDB: collections named `<prefix>_…` in the application database,
 * reached with `DB_URL` (user, password and `authSource` included). Bounded: server selection
 * and connection attempts time out instead of hanging a handler. The client connects lazily, on
 * its first operation (the migrations at start).
 */
export function openMongodbAlertDatabase(
  db: DatabaseConnection,
  options: { prefix: string; applicationName: string; logger: Logger },
): AlertDatabase {
  const client = new MongoClient(db.url, {
    appName: options.applicationName,
    maxPoolSize: 10,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
  });
  const database = client.db(db.database);
  const migrator = new MongodbMigrator(database, options.prefix, undefined, options.logger);
  return {
    type: 'mongodb',
    alerts: new MongodbAlertRepository(
      database.collection<AlertDocument>(`${options.prefix}_alerts`),
    ),
    ruleState: new MongodbAlertRuleStateStore(
      database.collection<RuleStateDocument>(`${options.prefix}_alert_rule_state`),
    ),
    migrate: () => migrator.migrate(),
    check: async () => {
      try {
        await database.command({ ping: 1 });
        return { ok: true, detail: 'reachable' };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
    close: () => client.close(),
  };
}
