import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import type { Logger } from '@realtime-platform/realtime-sdk';
import pg from 'pg';
import { quoteIdentifier } from './database-schema.js';

export interface PostgresPoolOptions {
  /** Every connection resolves unqualified names in this schema first. */
  readonly schema: string;
  readonly applicationName: string;
  readonly logger: Logger;
  readonly max?: number;
}

/**
 * A pg pool for the `{name}-db-secret` connection (host, port, database, user, password, all from
 * the secret). Bounded: connection attempts and statements time out instead of hanging a handler.
 */
export function createPostgresPool(db: DatabaseConnection, options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    host: db.host,
    port: db.port,
    database: db.database,
    user: db.user,
    password: db.password,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 15_000,
    application_name: options.applicationName.slice(0, 63),
    options: `-c search_path=${quoteIdentifier(options.schema)}`,
  });
  // An idle client losing its connection emits here; without a listener it would crash the process.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'idle PostgreSQL client failed'));
  return pool;
}

/** Readiness: a round trip, bounded by the probe's timeout. */
export async function checkPostgres(pool: pg.Pool): Promise<{ ok: boolean; detail: string }> {
  try {
    await pool.query('SELECT 1');
    return { ok: true, detail: 'reachable' };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
