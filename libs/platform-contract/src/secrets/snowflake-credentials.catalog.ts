export interface SnowflakeCredentialKey {
  readonly key: string;
  readonly required: boolean;
  readonly default?: string;
  readonly description: string;
}

/**
 * The keys of the Secret named by `spec.snowflake.credentialsSecret` (created by the user, e.g. by
 * External Secrets). The Snowflake sink connector and the Metabase data source read it; it is never
 * injected into applications. Key-pair authentication, as the requirements configure Snowflake.
 */
export const snowflakeCredentialKeys: readonly SnowflakeCredentialKey[] = [
  {
    key: 'SNOWFLAKE_URL',
    required: true,
    description: 'account URL, `<account>.snowflakecomputing.com`',
  },
  { key: 'SNOWFLAKE_USER', required: true, description: 'user of the key pair' },
  {
    key: 'SNOWFLAKE_PRIVATE_KEY',
    required: true,
    description: 'private key of the user, PKCS#8 PEM',
  },
  {
    key: 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
    required: false,
    description: 'passphrase when the private key is encrypted',
  },
  {
    key: 'SNOWFLAKE_DATABASE',
    required: false,
    default: 'INGEST',
    description: 'database the sink writes to',
  },
  {
    key: 'SNOWFLAKE_SCHEMA',
    required: false,
    default: 'INGEST',
    description: 'schema the sink writes to',
  },
  {
    key: 'SNOWFLAKE_WAREHOUSE',
    required: false,
    description: 'warehouse for the dashboard queries',
  },
  { key: 'SNOWFLAKE_ROLE', required: false, description: 'role to assume' },
];
