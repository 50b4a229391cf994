import { randomUUID } from 'node:crypto';
import { runtimeEnv } from '@realtime-platform/platform-contract';
import {
  localPlatformEnv,
  type KafkaBroker,
  type MosquittoBroker,
} from '@realtime-platform/local-infra';

/**
 * What the chart gives the bridge (builtin.yaml): the five secrets for the loopback servers, with
 * the bridge's own MQTT user in place of the applications' (`{name}-mqtt-bridge-secret`), the
 * service name, the shared subscription group; plus a stable instance id (the pod name).
 */
export function bridgeEnv(
  kafka: KafkaBroker,
  mqtt: MosquittoBroker,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    // The bridge's own Kafka principal and MQTT user: it may write device_data and its DLQ, and
    // read readings, nothing else.
    ...localPlatformEnv({ kafka, mqtt }, { kafkaPrincipal: 'bridge', mqttRole: 'bridge' }),
    [runtimeEnv.serviceName]: 'mqtt-bridge',
    [runtimeEnv.platformName]: 'health-data',
    [runtimeEnv.instanceId]: `test-${randomUUID().slice(0, 8)}`,
    [runtimeEnv.mqttSharedGroup]: 'health-data-mqtt-bridge',
    [runtimeEnv.logLevel]: 'silent',
    [runtimeEnv.httpHost]: '127.0.0.1',
    [runtimeEnv.httpPort]: '0',
    // Never the default /var/run path of the test machine.
    [runtimeEnv.secretsDir]: '/nonexistent/realtime-platform-secrets',
    ...extra,
  };
}
