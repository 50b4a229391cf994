import {
  credentialKeys,
  describePlatform,
  renderSecretData,
  type CredentialKey,
} from '@realtime-platform/platform-contract';

export const platformName = 'health-data';
export const jwtSecret = 'test-shared-secret-of-at-least-32-bytes!!';

export interface EnvOverrides {
  readonly kafka?: string;
  /** The kafka secret of a real broker's principal (`kafka().kafkaSecret('admin')`). */
  readonly kafkaSecret?: Readonly<Record<string, string>>;
  readonly mqtt?: { url: string; username: string; password: string };
}

/** What `envFrom` of the five secrets injects for a platform `health-data`, plus the SDK vars. */
export function platformEnv(overrides: EnvOverrides = {}): Record<string, string> {
  const platform = describePlatform({ namespace: 'apps', claim: { name: platformName } });
  const credentials = Object.fromEntries(
    credentialKeys.map((key: CredentialKey) => [key, `generated-${key.toLowerCase()}`]),
  );
  const env: Record<string, string> = {};
  for (const secret of renderSecretData(platform, credentials))
    Object.assign(env, secret.stringData);
  if (overrides.kafka !== undefined) env.KAFKA_BOOTSTRAP_SERVERS = overrides.kafka;
  if (overrides.kafkaSecret !== undefined) Object.assign(env, overrides.kafkaSecret);
  if (overrides.mqtt !== undefined) {
    env.MQTT_URL = overrides.mqtt.url;
    env.MQTT_USERNAME = overrides.mqtt.username;
    env.MQTT_PASSWORD = overrides.mqtt.password;
  }
  return {
    ...env,
    RTP_SERVICE_NAME: 'vitals-gateway',
    RTP_PLATFORM_NAME: platformName,
    RTP_WS_JWT_SECRET: jwtSecret,
    RTP_LOG_LEVEL: 'silent',
    RTP_HTTP_HOST: '127.0.0.1',
    RTP_HTTP_PORT: '0',
    // Never the default /var/run path of the test machine.
    RTP_SECRETS_DIR: '/nonexistent/realtime-platform-secrets',
  };
}
