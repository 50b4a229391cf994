import { useMariaDbServer } from '@realtime-platform/local-infra/jest';
import { databaseUrl } from '@realtime-platform/platform-contract';
import { describeAlertStorageContract } from './alert-storage.contract.js';

// MariaDB 10.11 stands in for MySQL 8.4 (Debian packages no MySQL): see the README for what the
// MySQL adapter avoids so that both run it.
const mariadb = useMariaDbServer();

// The applications' account: every privilege on its database, nothing else.
const connection = (port = mariadb().port) => {
  const parts = {
    host: mariadb().host,
    port,
    database: mariadb().database,
    user: mariadb().application.user,
    password: mariadb().application.password,
  };
  return {
    type: 'mysql' as const,
    ...parts,
    url: databaseUrl('mysql', { ...parts, port: String(port) }),
  };
};

describeAlertStorageContract('MySQL (MariaDB)', connection, () => connection(9));
