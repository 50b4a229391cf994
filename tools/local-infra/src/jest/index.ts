export {
  useKafkaBroker,
  useKafkaCluster,
  useMosquittoBroker,
  usePostgresServer,
  useSchemaRegistry,
} from './use-infra.js';
