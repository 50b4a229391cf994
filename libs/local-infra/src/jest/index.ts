export {
  useKafkaBroker,
  useMosquittoBroker,
  usePostgresServer,
  useSchemaRegistry,
} from './use-infra.js';
