import type { Database, SpecCondition } from '../claim/claim.types.js';
import { applicationDatabaseName } from '../secrets/secret.catalog.js';
import type { ServiceId } from './service.catalog.js';

export interface DatabaseDefinition {
  readonly name: string;
  readonly usedBy: string;
  readonly enabledWhen?: SpecCondition;
}

/**
 * The PostgreSQL databases a platform needs; the charts create exactly these, idempotently. The
 * application database is on the engine `spec.database` names: on PostgreSQL only with `postgres`
 * (MySQL and MongoDB get theirs from their own server's init).
 */
export const databaseCatalog: readonly DatabaseDefinition[] = [
  {
    name: applicationDatabaseName,
    usedBy: 'applications (`{name}-db-secret`)',
    enabledWhen: { field: 'database', equals: 'postgres' },
  },
  {
    name: 'metabaseappdb',
    usedBy: 'Metabase application database',
    enabledWhen: { field: 'visualization', equals: 'metabase' },
  },
  { name: 'hq', usedBy: 'Lenses HQ', enabledWhen: { field: 'streamProcessing', equals: 'lenses' } },
  {
    name: 'agent1',
    usedBy: 'Lenses Agent',
    enabledWhen: { field: 'streamProcessing', equals: 'lenses' },
  },
  {
    name: 'agent2',
    usedBy: 'a second Lenses Agent (the requirements create it)',
    enabledWhen: { field: 'streamProcessing', equals: 'lenses' },
  },
];

/** What differs per application database engine (`spec.database`): one entry per engine. */
export interface DatabaseEngineDefinition {
  readonly type: Database;
  /** The Service the applications' `DB_HOST`/`DB_PORT` point at. */
  readonly service: ServiceId;
  /** `DB_URL`'s scheme: what the engine's usual Node drivers take (pg, mysql2, mongodb). */
  readonly urlScheme: string;
  /**
   * `DB_URL`'s query, after the database name: MongoDB authenticates the applications' user
   * against the application database (`authSource`), where the platform creates it.
   */
  readonly urlQuery: (databaseName: string) => string;
  readonly description: string;
}

export const databaseEngineCatalog: Readonly<Record<Database, DatabaseEngineDefinition>> = {
  postgres: {
    type: 'postgres',
    service: 'postgresql',
    urlScheme: 'postgresql',
    urlQuery: () => '',
    description: "PostgreSQL 15 (the platform's own PostgreSQL)",
  },
  mysql: {
    type: 'mysql',
    service: 'mysql',
    urlScheme: 'mysql',
    urlQuery: () => '',
    description: 'MySQL 8.4 (a server of its own)',
  },
  mongodb: {
    type: 'mongodb',
    service: 'mongodb',
    urlScheme: 'mongodb',
    urlQuery: (databaseName) => `?authSource=${databaseName}`,
    description: 'MongoDB 7.0, authentication on (a server of its own)',
  },
};

/**
 * `DB_URL`: `<scheme>://<user>:<password>@<host>:<port>/<database><query>`, user and password
 * percent-encoded (the generated ones need none; an existing Secret's may).
 */
export function databaseUrl(
  type: Database,
  parts: { host: string; port: string; database: string; user: string; password: string },
): string {
  const engine = databaseEngineCatalog[type];
  return `${engine.urlScheme}://${encodeURIComponent(parts.user)}:${encodeURIComponent(parts.password)}@${parts.host}:${parts.port}/${parts.database}${engine.urlQuery(parts.database)}`;
}
