export {
  useFerretDbServer,
  useKafkaBroker,
  useKafkaCluster,
  useMariaDbServer,
  useMosquittoBroker,
  usePostgresServer,
  useSchemaRegistry,
} from './use-infra.js';
