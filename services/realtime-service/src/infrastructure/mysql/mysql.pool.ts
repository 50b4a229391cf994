import type { DatabaseConnection } from '@realtime-platform/platform-contract';
import mysql from 'mysql2/promise';

/**
 * A mysql2 pool for the `{name}-db-secret` connection (host, port, database, user, password).
 * Bounded: connection attempts time out instead of hanging a handler. Dates are read and written
 * in UTC; affected rows count changed rows only (no CLIENT_FOUND_ROWS), so an insert that met its
 * duplicate reports 0.
 */
export function createMysqlPool(
  db: DatabaseConnection,
  options: { max?: number } = {},
): mysql.Pool {
  return mysql.createPool({
    host: db.host,
    port: db.port,
    database: db.database,
    user: db.user,
    password: db.password,
    connectionLimit: options.max ?? 10,
    connectTimeout: 5_000,
    timezone: 'Z',
    dateStrings: false,
    flags: ['-FOUND_ROWS'],
    // Statements are sent with client-side escaping (query, not execute): LIMIT ? works the same
    // on MySQL 8 and MariaDB.
    namedPlaceholders: false,
  });
}

/** Readiness: a round trip. */
export async function checkMysql(pool: mysql.Pool): Promise<{ ok: boolean; detail: string }> {
  try {
    await pool.query('SELECT 1');
    return { ok: true, detail: 'reachable' };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
