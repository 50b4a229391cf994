import { claimApi } from '@realtime-platform/contract-generators';
import {
  claimSpecSchema,
  defaultClusterDomain,
  describePlatform,
  findService,
  resolveEndpoint,
  secretCatalog,
  secretDefinition,
  secretNamePattern,
  serviceCatalog,
  statusEndpointFields,
  statusSecretFields,
  type ClaimJsonSchema,
  type EndpointKeyDefinition,
  type PlatformModel,
  type SecretKeyDefinition,
  type ServiceId,
} from '@realtime-platform/platform-contract';
import { stringify } from 'yaml';
import { addonNames, chartObjects } from '../contract-values.js';
import { iotBrokerSpecSchema } from './iot-broker.xrd.js';

/**
 * function-compose-platform: this project's composition function (Go, function-sdk-go), in
 * addons/functions/compose-platform. Everything it knows about names, ports, hosts and secret keys
 * is `functionContractData()`, generated from the platform contract into its contract.json.
 */
export const composeFunction = {
  /** The Function object the addon installs and the Compositions name. */
  name: addonNames.functionComposePlatform,
  /** Its Go module, relative to addons/. */
  dir: 'functions/compose-platform',
  /** The Crossplane package (xpkg) the addon installs by default. */
  package: 'ghcr.io/realtime-platform/function-compose-platform:v0.1.0',
  input: {
    group: 'compose.platform.example.org',
    version: 'v1alpha1',
    kind: 'Input',
    plural: 'inputs',
  },
  /** The composition-resource-names of the composed objects. */
  resources: { platformRelease: 'realtime-platform', iotBrokerRelease: 'iot-broker' },
  /** `{name}-<suffix>`: the Secret provider-helm writes the Release's connection details to. */
  connectionSecretSuffix: { platform: 'realtime-connection', iotBroker: 'iot-connection' },
} as const;

/** The DNS subdomain a cluster domain must be (the contract's rule for `clusterDomain`). */
const dnsSubdomainPattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** The function's input (`compose.platform.example.org/v1alpha1` `Input`), one per Composition step. */
export const composeInputSchema = {
  type: 'object',
  description:
    'What a Composition tells function-compose-platform: the chart to install and how provider-helm installs it. Everything else comes from the composite resource and the platform contract.',
  required: ['release'],
  properties: {
    release: {
      type: 'object',
      description: 'The provider-helm Release the function composes.',
      required: ['chart', 'waitTimeout', 'rollbackLimit', 'providerConfigName'],
      properties: {
        chart: {
          type: 'object',
          description:
            'The chart in a Helm repository (see the addon README, Packaging the charts).',
          required: ['name', 'repository', 'version'],
          properties: {
            name: { type: 'string', description: 'Chart name.', minLength: 1 },
            repository: {
              type: 'string',
              description: 'Helm repository URL (https:// or oci://).',
              pattern: '^(https?|oci)://',
            },
            version: { type: 'string', description: 'Chart version.', minLength: 1 },
          },
        },
        waitTimeout: {
          type: 'string',
          description: 'How long provider-helm waits for the release (wait is always true).',
          pattern: '^[0-9]+(s|m|h)$',
        },
        rollbackLimit: {
          type: 'integer',
          description: 'How often provider-helm rolls a failed release back and retries.',
          minimum: 1,
        },
        providerConfigName: {
          type: 'string',
          description: 'The provider-helm ProviderConfig.',
          minLength: 1,
        },
      },
    },
    clusterDomain: {
      type: 'string',
      description: 'Cluster DNS domain of the hosts in the values, status and connection details.',
      pattern: dnsSubdomainPattern,
      default: defaultClusterDomain,
    },
    lenses: {
      type: 'object',
      description: 'Lenses HQ and Agent settings, for platforms with streamProcessing: lenses.',
      default: {},
      properties: {
        acceptEULA: {
          type: 'boolean',
          description: 'Accept the Lenses EULA for every platform with streamProcessing: lenses.',
          default: false,
        },
        licenseSecret: {
          type: 'string',
          description:
            'Secret in the claim namespace with the Lenses licence under the key license.',
          pattern: secretNamePattern,
          default: 'lenses-license',
        },
      },
    },
  },
} as const satisfies ClaimJsonSchema;

/** The input's CRD, shipped in the function package (and used by `crossplane beta validate`). */
export function composeInputCrd(): Record<string, unknown> {
  const { group, version, kind, plural } = composeFunction.input;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        categories: ['crossplane'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: composeInputSchema.description,
              required: composeInputSchema.required,
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                ...composeInputSchema.properties,
              },
            },
          },
        },
      ],
    },
  };
}

const placeholder = { name: '{name}', namespace: '{namespace}', clusterDomain: '{clusterDomain}' };
const sentinel = { name: 'zzplatformname', namespace: 'zzplatformns', clusterDomain: 'zz.domain' };

function endpointKey(secret: 'kafka', key: string): EndpointKeyDefinition {
  return secretDefinition(secret).keys.find((k) => k.key === key) as EndpointKeyDefinition;
}

/**
 * The values that wire the chart's Lenses subcharts to a platform (the chart refuses to render
 * without them and cannot derive them itself), with `{name}`, `{namespace}` and `{clusterDomain}`
 * placeholders: hosts and URLs from the contract's model (the agent's Kafka wiring is exactly the
 * `{name}-kafka-secret` values), object names from the chart.
 */
export function lensesWiringValues(): Record<string, unknown> {
  const platform: PlatformModel = describePlatform({
    claim: { name: sentinel.name, streamProcessing: 'lenses' },
    namespace: sentinel.namespace,
    clusterDomain: sentinel.clusterDomain,
  });
  const host = (id: ServiceId): string => findService(platform, id)?.host as string;
  const kafka = (key: string): string => resolveEndpoint(platform, endpointKey('kafka', key)).value;
  const hqAdmin = `${sentinel.name}-${chartObjects.lensesHqAdminSecret}`;
  const values = {
    'lenses-hq': {
      fullnameOverride: findService(platform, 'lensesHq')?.name,
      postgresql: { host: host('postgresql') },
      auth: { existingSecret: hqAdmin },
    },
    'lenses-agent': {
      fullnameOverride: `${sentinel.name}-${chartObjects.lensesAgent}`,
      hq: { host: host('lensesHq'), auth: { existingSecret: hqAdmin } },
      kafka: { bootstrapServers: kafka('KAFKA_BOOTSTRAP_SERVERS').split(',') },
      schemaRegistry: { urls: [kafka('KAFKA_SCHEMA_REGISTRY_URL')] },
      connect: { urls: [kafka('KAFKA_CONNECT_URL')] },
      postgresql: { host: host('postgresql') },
    },
  };
  return JSON.parse(
    JSON.stringify(values)
      .replaceAll(sentinel.clusterDomain, placeholder.clusterDomain)
      .replaceAll(sentinel.namespace, placeholder.namespace)
      .replaceAll(sentinel.name, placeholder.name),
  ) as Record<string, unknown>;
}

const keyData = (key: SecretKeyDefinition) =>
  key.kind === 'endpoint'
    ? {
        key: key.key,
        kind: key.kind,
        format: key.format,
        services: key.services,
        port: key.port,
        portByService: key.portByService ?? {},
        scheme: key.scheme ?? '',
        path: key.path ?? '',
      }
    : key.kind === 'setting'
      ? { key: key.key, kind: key.kind, format: key.format }
      : { key: key.key, kind: key.kind };

/**
 * contract.json of function-compose-platform: the claim schemas (validation and defaults), the
 * Service and secret catalogs (names, ports, hosts, keys), the status fields, and the Lenses
 * wiring, all from @realtime-platform/platform-contract.
 */
export function functionContractData(): Record<string, unknown> {
  return {
    $comment:
      'Generated by addons/scripts/generate-addon.js from @realtime-platform/platform-contract (npx nx run addons:generate). DO NOT EDIT.',
    apiVersion: `${claimApi.group}/${claimApi.version}`,
    defaultClusterDomain,
    release: { apiVersion: 'helm.crossplane.io/v1beta1', kind: 'Release' },
    input: {
      apiVersion: `${composeFunction.input.group}/${composeFunction.input.version}`,
      kind: composeFunction.input.kind,
      schema: composeInputSchema,
    },
    services: serviceCatalog.map((service) => ({
      id: service.id,
      suffix: service.suffix,
      ports: service.ports.map((port) => ({ name: port.name, port: port.port })),
      enabledWhen: service.enabledWhen ?? null,
    })),
    secrets: secretCatalog.map((secret) => ({
      id: secret.id,
      suffix: secret.suffix,
      prefix: secret.prefix,
      enabledWhen: 'enabledWhen' in secret ? secret.enabledWhen : null,
      keys: (secret.keys as readonly SecretKeyDefinition[]).map(keyData),
    })),
    realtimePlatform: {
      compositeKind: claimApi.compositeKind,
      resourceName: composeFunction.resources.platformRelease,
      connectionSecretSuffix: composeFunction.connectionSecretSuffix.platform,
      spec: claimSpecSchema,
      statusSecrets: Object.entries(statusSecretFields).map(([field, secret]) => ({
        field,
        secret,
      })),
      statusEndpoints: Object.entries(statusEndpointFields).map(([field, endpoint]) => ({
        field,
        ...endpoint,
      })),
      lensesValues: lensesWiringValues(),
    },
    iotBroker: {
      compositeKind: addonNames.iotBrokerCompositeKind,
      resourceName: composeFunction.resources.iotBrokerRelease,
      connectionSecretSuffix: composeFunction.connectionSecretSuffix.iotBroker,
      spec: iotBrokerSpecSchema,
      // An iot-broker is the contract's MQTT part alone: the conditions of its Service and secret.
      conditions: { iot: true },
      secrets: ['mqtt'],
      statusSecrets: [{ field: 'mqtt', secret: 'mqtt' }],
      statusEndpoints: [
        { field: 'mqtt', secret: 'mqtt', key: 'MQTT_URL' },
        { field: 'mqttWebSocket', secret: 'mqtt', key: 'MQTT_WS_URL' },
      ],
    },
  };
}

/** package/input/<crd>.yaml and contract.json, by path relative to the function's folder. */
export function generatedFunctionFiles(): Record<string, string> {
  const { group, plural } = composeFunction.input;
  return {
    'contract.json': `${JSON.stringify(functionContractData(), null, 2)}\n`,
    [`package/input/${group}_${plural}.yaml`]: `# Generated by addons/scripts/generate-addon.js. DO NOT EDIT.\n${stringify(composeInputCrd())}`,
  };
}
