import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { infrastructureErrors } from '../infrastructure.errors.js';

/** MongoDB's duplicate key error (an insert of an existing `_id`, a lost upsert race). */
export const duplicateKeyCode = 11000;

/**
 * A driver error as a coded one: no server reachable, a dropped connection, or an error the
 * server labels retryable are DATABASE_UNAVAILABLE (retriable); anything else is
 * DATABASE_QUERY_FAILED.
 */
export function mongodbError(operation: string, error: unknown) {
  const reason = (error as Error).message ?? String(error);
  const transient =
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    (error instanceof MongoServerError &&
      (error.hasErrorLabel('RetryableWriteError') ||
        error.hasErrorLabel('TransientTransactionError')));
  if (transient || !(error instanceof MongoServerError))
    return infrastructureErrors.DATABASE_UNAVAILABLE(
      { operation, reason, database: 'MongoDB' },
      { cause: error },
    );
  return infrastructureErrors.DATABASE_QUERY_FAILED(
    {
      operation,
      reason: `${String(error.code)} ${error.codeName ?? ''}: ${reason}`,
      database: 'MongoDB',
    },
    { cause: error },
  );
}
