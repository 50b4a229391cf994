import { claimSpecSchema, type ClaimJsonSchema } from '@realtime-platform/platform-contract';
import { addonNames } from '../contract-values.js';

/**
 * The IotBrokerClaim `spec`: Mosquitto alone. `name` and `mqttUsers` are the contract's own schemas
 * (same name rules, the same `{name}-mqtt-secret`); `persistence` is the broker's. WebSockets (9001) and
 * authentication are always on, as the requirements ask.
 */
export const iotBrokerSpecSchema = {
  type: 'object',
  description:
    'Desired state of a standalone MQTT broker (MQTT on 1883 and MQTT over WebSockets on 9001, authentication always on).',
  required: ['name'],
  properties: {
    name: {
      ...claimSpecSchema.properties.name,
      description:
        'Name of the broker; its Service is {name}-mqtt and its connection secret {name}-mqtt-secret.',
    },
    mqttUsers: claimSpecSchema.properties.mqttUsers,
    persistence: {
      type: 'object',
      description: 'Keep retained messages and persistent sessions on a PersistentVolumeClaim.',
      default: {},
      properties: {
        enabled: {
          type: 'boolean',
          description: 'Create a PersistentVolumeClaim for /mosquitto/data.',
          default: true,
        },
        size: {
          type: 'string',
          description: 'Size of the PersistentVolumeClaim (a Kubernetes quantity).',
          default: '1Gi',
          pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti)$',
        },
      },
    },
  },
} as const satisfies ClaimJsonSchema;

export const iotBrokerStatusSchema: ClaimJsonSchema = {
  type: 'object',
  properties: {
    ready: { type: 'boolean', description: 'True when the broker is ready.' },
    message: { type: 'string', description: 'What the broker is waiting for, or why it failed.' },
    secrets: {
      type: 'object',
      properties: {
        mqtt: { type: 'string', description: 'MQTT connection secret name.' },
      },
    },
    endpoints: {
      type: 'object',
      properties: {
        mqtt: { type: 'string', description: 'MQTT over TCP URL.' },
        mqttWebSocket: { type: 'string', description: 'MQTT over WebSockets URL.' },
      },
    },
  },
};

/** The CompositeResourceDefinition xiotbrokerclaims.platform.example.org. */
export function renderIotBrokerXrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `${addonNames.iotBrokerCompositePlural}.platform.example.org` },
    spec: {
      group: 'platform.example.org',
      names: {
        kind: addonNames.iotBrokerCompositeKind,
        plural: addonNames.iotBrokerCompositePlural,
      },
      claimNames: { kind: addonNames.iotBrokerKind, plural: addonNames.iotBrokerPlural },
      defaultCompositionRef: { name: addonNames.iotBrokerComposition },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          referenceable: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: { spec: iotBrokerSpecSchema, status: iotBrokerStatusSchema },
            },
          },
        },
      ],
    },
  };
}
