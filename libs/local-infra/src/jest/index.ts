export { useKafkaBroker, useMosquittoBroker, usePostgresServer } from './use-infra.js';
