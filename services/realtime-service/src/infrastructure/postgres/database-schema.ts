/**
 * The PostgreSQL schema this service owns inside the platform's application database
 * (`DB_NAME` of `{name}-db-secret`, shared by every application of the platform): its tables and
 * its migration history live here, so two services never collide on a table name.
 */
export const databaseSchema = 'realtime_service';

const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** A quoted SQL identifier; only plain lowercase names are accepted. */
export function quoteIdentifier(name: string): string {
  if (!identifierPattern.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}
