import { useFerretDbServer } from '@realtime-platform/local-infra/jest';
import { databaseUrl } from '@realtime-platform/platform-contract';
import { describeAlertStorageContract } from './alert-storage.contract.js';

// FerretDB 1.24 speaks MongoDB's wire protocol (no mongod is served here), authentication on.
const ferretdb = useFerretDbServer();

// The applications' user, authenticated against its database (DB_URL's authSource).
const connection = (port = ferretdb().port) => {
  const parts = {
    host: ferretdb().host,
    port,
    database: ferretdb().database,
    user: ferretdb().application.user,
    password: ferretdb().application.password,
  };
  return {
    type: 'mongodb' as const,
    ...parts,
    url: databaseUrl('mongodb', { ...parts, port: String(port) }),
  };
};

describeAlertStorageContract('MongoDB (FerretDB)', connection, () => connection(9));
