import type { SpecCondition } from '../claim/claim.types.js';

/**
 * The Secrets only the platform's own components load: administrators, the database superuser
 * and provisioning role, the dashboards' read-only database role, the platform's keys. No
 * application ever gets one: the realtime definitions inject exactly the five of `secretCatalog`,
 * whose keys are disjoint from these (a test checks it), and the chart's tests check that each of
 * these is loaded by exactly the workloads named in `loadedBy`. The Kafka principals' Secrets
 * (`{name}-kafka-<principal>-secret`) are in `kafkaPrincipalCatalog`, the MQTT roles' in
 * `mqttRoleCatalog`.
 */
export interface PlatformSecretDefinition {
  /** The Secret is named `{name}-{suffix}`. */
  readonly suffix: string;
  readonly description: string;
  readonly enabledWhen?: SpecCondition;
  /**
   * Keys and what each holds. `id` is what the charts name a key by (files/contract.json's
   * `platformSecrets`: {suffix: {id: key}}), so no template types the key's name; unique within
   * the Secret.
   */
  readonly keys: readonly {
    readonly id: string;
    readonly key: string;
    readonly description: string;
  }[];
  /** Chart components (`app.kubernetes.io/component`) whose pods load it; nobody else does. */
  readonly loadedBy: readonly string[];
}

/**
 * The PostgreSQL superuser: it logs in on the PostgreSQL pod's local socket only (pg_hba), where
 * the pod itself provisions the roles and databases; no network client can use it.
 */
export const databaseSuperuser = 'postgres';

export const platformSecretCatalog = [
  {
    suffix: 'db-admin-secret',
    description:
      "PostgreSQL administration: the superuser, which logs in on the PostgreSQL pod's local socket only (pg_hba rejects it over the network)",
    keys: [
      {
        id: 'superuserPassword',
        key: 'POSTGRES_PASSWORD',
        description: `password of the superuser \`${databaseSuperuser}\` (initdb, and the pod's own provisioning of roles and databases over its local socket)`,
      },
    ],
    loadedBy: ['postgresql'],
  },
  {
    suffix: 'db-reader-secret',
    description:
      "the dashboards' read-only database role: the keys of `{name}-db-secret` with a role that may only read `DB_NAME` (SELECT on every table the applications create)",
    keys: [
      {
        id: 'type',
        key: 'DB_TYPE',
        description: 'the application database engine (`spec.database`)',
      },
      { id: 'host', key: 'DB_HOST', description: 'database host' },
      { id: 'port', key: 'DB_PORT', description: 'database port' },
      { id: 'database', key: 'DB_NAME', description: 'the application database' },
      {
        id: 'username',
        key: 'DB_USER',
        description: 'the read-only role (MySQL: SELECT on `DB_NAME`; MongoDB: `read`)',
      },
      { id: 'password', key: 'DB_PASSWORD', description: 'password of `DB_USER`' },
      { id: 'url', key: 'DB_URL', description: 'the same as one URL, with the read-only role' },
    ],
    // The database server of DB_TYPE: the password of the read-only user it provisions.
    loadedBy: ['postgresql', 'mysql', 'mongodb', 'grafana', 'provisioning'],
  },
  {
    suffix: 'mysql-admin-secret',
    description:
      "MySQL administration (`database: mysql`): root, which logs in on the MySQL pod's local socket only (it exists for `localhost` alone)",
    enabledWhen: { field: 'database', equals: 'mysql' },
    keys: [
      {
        id: 'rootPassword',
        key: 'MYSQL_ROOT_PASSWORD',
        description:
          "password of `root@localhost` (the image's first initialisation, and the pod's own provisioning of the application database and its users)",
      },
    ],
    loadedBy: ['mysql'],
  },
  {
    suffix: 'mongodb-admin-secret',
    description:
      "MongoDB administration (`database: mongodb`): the root user in `admin`, used by the MongoDB pod's own provisioning only",
    enabledWhen: { field: 'database', equals: 'mongodb' },
    keys: [
      {
        id: 'rootUsername',
        key: 'MONGO_INITDB_ROOT_USERNAME',
        description: 'the root user (in `admin`)',
      },
      {
        id: 'rootPassword',
        key: 'MONGO_INITDB_ROOT_PASSWORD',
        description: 'password of the root user',
      },
    ],
    loadedBy: ['mongodb'],
  },
  {
    suffix: 'metabase-admin-secret',
    description:
      'the dashboard administrator (Metabase or Grafana): set up and administered by the platform only',
    keys: [
      {
        id: 'username',
        key: 'DASHBOARD_ADMIN_USER',
        description: 'admin login (an e-mail address for Metabase, a user name for Grafana)',
      },
      {
        id: 'password',
        key: 'DASHBOARD_ADMIN_PASSWORD',
        description: 'password of `DASHBOARD_ADMIN_USER`',
      },
    ],
    loadedBy: ['grafana', 'provisioning'],
  },
  {
    suffix: 'lenses-hq-admin',
    description:
      "the Lenses HQ administrator (the lenses-hq chart's `auth.existingSecret`): HQ, the agent-key Job and the SQL processors Job",
    enabledWhen: { field: 'streamProcessing', equals: 'lenses' },
    keys: [
      { id: 'username', key: 'username', description: 'administrator user name' },
      { id: 'password', key: 'password', description: 'administrator password' },
      {
        id: 'passwordHash',
        key: 'passwordHash',
        description: "bcrypt hash of the password (HQ's config.yaml)",
      },
    ],
    // The component labels of the lenses-hq chart's HQ and of the lenses-agent chart's agent-key Job.
    loadedBy: ['hq', 'agent-key', 'provisioning'],
  },
  {
    suffix: 'platform-credentials',
    description: "the platform components' own keys and database passwords",
    keys: [
      {
        id: 'metabaseDbPassword',
        key: 'METABASE_DB_PASSWORD',
        description: "password of Metabase's role on metabaseappdb",
      },
      {
        id: 'metabaseEncryptionKey',
        key: 'MB_ENCRYPTION_SECRET_KEY',
        description: 'Metabase key for the connection details it stores',
      },
      {
        id: 'grafanaSecretKey',
        key: 'GF_SECURITY_SECRET_KEY',
        description: 'Grafana key for the data source passwords',
      },
      {
        id: 'backupDbPassword',
        key: 'BACKUP_DB_PASSWORD',
        description:
          'password of the backup role (pg_read_all_data, read-only; with backup.enabled), which the backup CronJob logs in as',
      },
    ],
    // postgresql: the passwords of Metabase's and the backup role, which it provisions.
    loadedBy: ['postgresql', 'metabase', 'grafana', 'backup'],
  },
] as const satisfies readonly PlatformSecretDefinition[];

/** `{name}-db-admin-secret`, … */
export function platformSecretName(
  name: string,
  suffix: (typeof platformSecretCatalog)[number]['suffix'],
): string {
  return `${name}-${suffix}`;
}
