import {
  claimSpecSchema,
  secretDefinition,
  statusEndpointFields,
  statusSecretFields,
  type ClaimJsonSchema,
} from '@realtime-platform/platform-contract';

/** The claim API of the requirements. */
export const claimApi = {
  group: 'platform.example.org',
  version: 'v1alpha1',
  kind: 'RealtimePlatformClaim',
  plural: 'realtimeplatformclaims',
  compositeKind: 'XRealtimePlatformClaim',
  compositePlural: 'xrealtimeplatformclaims',
} as const;

const endpointDescriptions: Record<keyof typeof statusEndpointFields, string> = {
  lensesUI: 'Lenses HQ URL (when streamProcessing is lenses)',
  metabaseUI: 'Analytics dashboard URL (Metabase or Grafana)',
  mqttWebSocket: 'MQTT over WebSockets URL (when iot is true)',
};

/** The requirements' `status` schema, with the secret and endpoint fields of the contract. */
export const claimStatusSchema: ClaimJsonSchema = {
  type: 'object',
  properties: {
    ready: { type: 'boolean', description: 'True when every component is ready.' },
    message: { type: 'string', description: 'What the platform is waiting for, or why it failed.' },
    secrets: {
      type: 'object',
      description: 'Names of the connection secrets.',
      properties: Object.fromEntries(
        Object.entries(statusSecretFields).map(([field, id]) => [
          field,
          { type: 'string', description: `${secretDefinition(id).description} secret name.` },
        ]),
      ),
    },
    endpoints: {
      type: 'object',
      description: 'In-cluster URLs of the user interfaces.',
      properties: Object.fromEntries(
        Object.entries(endpointDescriptions).map(([field, description]) => [
          field,
          { type: 'string', description },
        ]),
      ),
    },
  },
};

/** `openAPIV3Schema` of the XRD: `spec` is `claimSpecSchema`, `status` is `claimStatusSchema`. */
export function renderXrdOpenApiSchema(): ClaimJsonSchema {
  return {
    type: 'object',
    required: ['spec'],
    properties: { spec: claimSpecSchema, status: claimStatusSchema },
  };
}

/** The CompositeResourceDefinition `xrealtimeplatformclaims.platform.example.org` (Crossplane v1 API). */
export function renderXrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `${claimApi.compositePlural}.${claimApi.group}` },
    spec: {
      group: claimApi.group,
      names: { kind: claimApi.compositeKind, plural: claimApi.compositePlural },
      claimNames: { kind: claimApi.kind, plural: claimApi.plural },
      versions: [
        {
          name: claimApi.version,
          served: true,
          referenceable: true,
          schema: { openAPIV3Schema: renderXrdOpenApiSchema() },
        },
      ],
    },
  };
}
