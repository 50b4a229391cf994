import { resolveEndpoint } from '../secrets/secret-data.renderer.js';
import {
  secretDefinition,
  secretName,
  type EndpointKeyDefinition,
  type SecretId,
} from '../secrets/secret.catalog.js';
import type { PlatformModel } from './platform.model.js';

/** The requirements' `status.secrets` keys and the secret each names. */
export const statusSecretFields = {
  mqtt: 'mqtt',
  kafka: 'kafka',
  database: 'db',
  metabase: 'metabase',
  lenses: 'lenses',
} as const satisfies Record<string, SecretId>;

/** The requirements' `status.endpoints` keys and the secret key whose URL each repeats. */
export const statusEndpointFields = {
  lensesUI: { secret: 'lenses', key: 'LENSES_URL' },
  metabaseUI: { secret: 'metabase', key: 'DASHBOARD_URL' },
  mqttWebSocket: { secret: 'mqtt', key: 'MQTT_WS_URL' },
} as const satisfies Record<string, { secret: SecretId; key: string }>;

export interface PlatformStatusFields {
  secrets: Record<keyof typeof statusSecretFields, string>;
  /** In-cluster URLs; an endpoint is absent when the spec turns its service off. */
  endpoints: Partial<Record<keyof typeof statusEndpointFields, string>>;
}

/** What the composition writes to the claim's `status.secrets` and `status.endpoints`. */
export function platformStatusFields(platform: PlatformModel): PlatformStatusFields {
  const secrets = Object.fromEntries(
    Object.entries(statusSecretFields).map(([field, id]) => [field, secretName(platform.name, id)]),
  ) as PlatformStatusFields['secrets'];
  const endpoints: PlatformStatusFields['endpoints'] = {};
  for (const [field, { secret, key }] of Object.entries(statusEndpointFields)) {
    if (platform.secrets.find((s) => s.id === secret)?.enabled !== true) continue;
    const definition = secretDefinition(secret).keys.find((k) => k.key === key);
    endpoints[field as keyof typeof statusEndpointFields] = resolveEndpoint(
      platform,
      definition as EndpointKeyDefinition,
    ).value;
  }
  return { secrets, endpoints };
}
