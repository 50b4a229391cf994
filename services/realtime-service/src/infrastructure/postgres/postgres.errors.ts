import { infrastructureErrors } from '../infrastructure.errors.js';

/** SQLSTATE classes worth a retry: connection problems, resources, shutdown, conflicts. */
const retriableSqlStates = /^(08|53|57P0[1-3]|40001|40P01)/;

/**
 * A pg error as a coded one: connection failures (no SQLSTATE, e.g. ECONNREFUSED) and transient
 * server states are DATABASE_UNAVAILABLE (retriable); anything else is DATABASE_QUERY_FAILED.
 */
export function databaseError(operation: string, error: unknown) {
  const sqlState = (error as { code?: unknown }).code;
  const reason = (error as Error).message ?? String(error);
  const isServerError = typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState);
  if (!isServerError || retriableSqlStates.test(sqlState))
    return infrastructureErrors.DATABASE_UNAVAILABLE({ operation, reason }, { cause: error });
  return infrastructureErrors.DATABASE_QUERY_FAILED(
    { operation, reason: `${sqlState}: ${reason}` },
    { cause: error },
  );
}
