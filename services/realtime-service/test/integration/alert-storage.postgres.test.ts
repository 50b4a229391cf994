import { usePostgresServer } from '@realtime-platform/local-infra/jest';
import { databaseUrl } from '@realtime-platform/platform-contract';
import { describeAlertStorageContract } from './alert-storage.contract.js';

const postgres = usePostgresServer();

// As the applications' role, as on a cluster ({name}-db-secret): no owner or superuser rights.
const connection = (port = postgres().port) => {
  const parts = {
    host: postgres().host,
    port,
    database: postgres().database,
    user: postgres().application.user,
    password: postgres().application.password,
  };
  return {
    type: 'postgres' as const,
    ...parts,
    url: databaseUrl('postgres', { ...parts, port: String(port) }),
  };
};

describeAlertStorageContract('PostgreSQL', connection, () => connection(9));
