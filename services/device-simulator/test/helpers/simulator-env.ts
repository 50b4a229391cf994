import { runtimeEnv } from '@realtime-platform/platform-contract';
import {
  generatePassword,
  localPlatformEnv,
  type KafkaBroker,
  type MosquittoBroker,
} from '@realtime-platform/local-infra';

/** The simulator needs no Kafka; the contract still wants the kafka secret's keys. */
const noKafka = {
  bootstrapServers: '127.0.0.1:9',
  kafkaSecret: () => ({
    KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9',
    KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_USERNAME: 'app',
    KAFKA_PASSWORD: generatePassword(),
  }),
} as unknown as KafkaBroker;

/** The five secrets for a loopback Mosquitto, plus the service's RTP_* variables. */
export function simulatorEnv(
  mqtt: MosquittoBroker,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...localPlatformEnv({ kafka: noKafka, mqtt }),
    [runtimeEnv.serviceName]: 'device-simulator',
    [runtimeEnv.logLevel]: 'silent',
    [runtimeEnv.httpHost]: '127.0.0.1',
    [runtimeEnv.httpPort]: '0',
    [runtimeEnv.secretsDir]: '/nonexistent/realtime-platform-secrets',
    ...extra,
  };
}
