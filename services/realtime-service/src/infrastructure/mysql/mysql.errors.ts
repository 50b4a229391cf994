import { infrastructureErrors } from '../infrastructure.errors.js';

/**
 * Server errors worth a retry: too many connections, shutdown, lock wait timeout, deadlock, read
 * only (a failover). MySQL and MariaDB share these numbers.
 */
const retriableErrnos = new Set([1040, 1053, 1205, 1213, 1290, 1836]);

/**
 * A mysql2 error as a coded one: connection failures (no SQL state, e.g. ECONNREFUSED, a lost
 * connection) and transient server states are DATABASE_UNAVAILABLE (retriable); anything else is
 * DATABASE_QUERY_FAILED.
 */
export function mysqlError(operation: string, error: unknown) {
  const { errno, sqlState } = error as { errno?: unknown; sqlState?: unknown };
  const reason = (error as Error).message ?? String(error);
  const isServerError = typeof sqlState === 'string' && typeof errno === 'number';
  if (!isServerError || retriableErrnos.has(errno))
    return infrastructureErrors.DATABASE_UNAVAILABLE(
      { operation, reason, database: 'MySQL' },
      { cause: error },
    );
  return infrastructureErrors.DATABASE_QUERY_FAILED(
    { operation, reason: `${errno} ${sqlState}: ${reason}`, database: 'MySQL' },
    { cause: error },
  );
}
