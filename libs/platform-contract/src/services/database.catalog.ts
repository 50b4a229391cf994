import type { SpecCondition } from '../claim/claim.types.js';
import { applicationDatabaseName } from '../secrets/secret.catalog.js';

export interface DatabaseDefinition {
  readonly name: string;
  readonly usedBy: string;
  readonly enabledWhen?: SpecCondition;
}

/** The PostgreSQL databases a platform needs; the charts create exactly these, idempotently. */
export const databaseCatalog: readonly DatabaseDefinition[] = [
  { name: applicationDatabaseName, usedBy: 'applications (`{name}-db-secret`)' },
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
