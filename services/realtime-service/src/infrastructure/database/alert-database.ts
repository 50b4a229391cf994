import type { Database } from '@realtime-platform/platform-contract';
import type { AlertRepository, AlertRuleStateStore } from '../../application/index.js';

/** What a start-up migration run did: the migrations it applied and those already there. */
export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/**
 * The service's storage on one database engine (`DB_TYPE` of `{name}-db-secret`): the two ports
 * the application uses, behind one connection pool, with the engine's own migrations. Every
 * engine keeps the same contract (test/integration/alert-storage.contract.ts runs the same suite
 * on each); what differs (SQL dialects, documents, locks) stays inside its adapter.
 */
export interface AlertDatabase {
  readonly type: Database;
  readonly alerts: AlertRepository;
  readonly ruleState: AlertRuleStateStore;
  /** Brings the engine's tables/collections and indexes up to date, idempotently. */
  migrate(): Promise<MigrationResult>;
  /** Readiness: one round trip. */
  check(): Promise<{ ok: boolean; detail: string }>;
  close(): Promise<void>;
}
