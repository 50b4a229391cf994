import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  alertsTopic,
  deviceDataTopic,
  deviceMqttTopic,
  runtimeEnv,
  vitalTopics,
  type KafkaPrincipalId,
  type MqttRole,
} from '@realtime-platform/platform-contract';

/** The platform's own services, as `rtp dev` runs them: built entry points, one process each. */
export type PlatformServiceName =
  'mqtt-bridge' | 'stream-processor' | 'realtime-service' | 'device-simulator';

export interface PlatformServiceSpec {
  readonly name: PlatformServiceName;
  /** Start order: a service starts after the ones before it are ready. */
  readonly entry: string;
  /** RTP_* variables on top of the platform secrets (the same the chart and the addon set). */
  readonly env: Readonly<Record<string, string>>;
  /** Whose kafka secret it loads: its own principal, or `app` (`{name}-kafka-secret`). */
  readonly kafkaPrincipal: KafkaPrincipalId;
  /**
   * Whose MQTT user its mqtt secret carries: the bridge's own (`{name}-mqtt-bridge-secret` in the
   * chart), a gateway's for the simulator; applications' (`app`) when absent.
   */
  readonly mqttRole?: MqttRole;
}

/** The repository root, from tools/local-platform/dist. */
const repoRoot = join(import.meta.dirname, '..', '..', '..');

export const serviceEntry = (name: PlatformServiceName): string =>
  join(repoRoot, 'services', name, 'dist', 'main.js');

/**
 * The image of a service as tools/images/scripts/build-images.sh tags it (and a release publishes
 * it): <registry>/<namespace>/<service>:<version of its package.json>, from tools/images/images.json.
 */
interface ImageCatalog {
  readonly registry: string;
  readonly namespace: string;
  /** V8 flags every service image sets (the heap cap), before the service's own. */
  readonly nodeOptions?: string;
  readonly services: Readonly<Record<string, { readonly nodeOptions?: string } | undefined>>;
}

const imageCatalog = (): ImageCatalog =>
  JSON.parse(
    readFileSync(join(repoRoot, 'tools', 'images', 'images.json'), 'utf8'),
  ) as ImageCatalog;

/**
 * The V8 flags the service's image sets (NODE_OPTIONS, tools/images/images.json): the catalog's
 * nodeOptions, then the service's, joined by one space, as build-images.sh joins them (a test of
 * tools/images holds the two and the built images to each other). A process runs with the heap
 * cap and young generation its pod has.
 */
export function serviceNodeOptions(name: PlatformServiceName): string {
  const catalog = imageCatalog();
  return [catalog.nodeOptions, catalog.services[name]?.nodeOptions]
    .filter((flags) => flags !== undefined && flags !== '')
    .join(' ');
}

export function serviceImage(name: PlatformServiceName): string {
  const catalog = imageCatalog();
  const { version } = JSON.parse(
    readFileSync(join(repoRoot, 'services', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return `${catalog.registry}/${catalog.namespace}/${name}:${version}`;
}

export interface ServiceEnvInput {
  readonly platformName: string;
  /** HS256 secret of the WebSocket hub, generated per run. */
  readonly wsJwtSecret: string;
  /** The `iss` and `aud` the hub requires (pinned as in production, though it listens on loopback). */
  readonly wsJwtIssuer: string;
  readonly wsJwtAudience: string;
  /** Subscriptions one client may hold: enough for a dashboard that subscribes per device. */
  readonly wsMaxSubscriptions: number;
  readonly simulator: { readonly devices: number; readonly rate: number };
}

/**
 * What each service gets besides the five secrets. Mirrors charts/realtime-platform (builtin
 * Deployments) and the addon's `realtime-service` component, with local ports chosen by NodeService.
 */
export function platformServices(input: ServiceEnvInput): readonly PlatformServiceSpec[] {
  const common = (name: PlatformServiceName): Record<string, string> => ({
    [runtimeEnv.serviceName]: name,
    [runtimeEnv.platformName]: input.platformName,
    [runtimeEnv.instanceId]: `${name}-local`,
  });
  return [
    {
      name: 'mqtt-bridge',
      entry: serviceEntry('mqtt-bridge'),
      kafkaPrincipal: 'bridge',
      mqttRole: 'bridge',
      env: {
        ...common('mqtt-bridge'),
        [runtimeEnv.mqttTopic]: deviceMqttTopic,
        [runtimeEnv.outputTopic]: deviceDataTopic,
      },
    },
    {
      name: 'stream-processor',
      entry: serviceEntry('stream-processor'),
      kafkaPrincipal: 'stream',
      env: {
        ...common('stream-processor'),
        [runtimeEnv.topics]: deviceDataTopic,
        [runtimeEnv.consumerMode]: 'shared',
      },
    },
    {
      name: 'realtime-service',
      entry: serviceEntry('realtime-service'),
      // The template service is an application: {name}-kafka-secret.
      kafkaPrincipal: 'app',
      env: {
        ...common('realtime-service'),
        [runtimeEnv.wsJwtSecret]: input.wsJwtSecret,
        [runtimeEnv.wsJwtIssuer]: input.wsJwtIssuer,
        [runtimeEnv.wsJwtAudience]: input.wsJwtAudience,
        [runtimeEnv.wsMaxSubscriptions]: String(input.wsMaxSubscriptions),
        [runtimeEnv.topics]: vitalTopics.join(','),
        [runtimeEnv.consumerMode]: 'broadcast',
        [runtimeEnv.alertsTopic]: alertsTopic,
      },
    },
    {
      name: 'device-simulator',
      entry: serviceEntry('device-simulator'),
      // It never dials Kafka; the contract still wants a kafka secret: the applications' one.
      kafkaPrincipal: 'app',
      // Many devices over a few connections, on the requirements' topic: a gateway.
      mqttRole: 'gateway',
      env: {
        ...common('device-simulator'),
        [runtimeEnv.mqttTopic]: deviceMqttTopic,
        [runtimeEnv.simDevices]: String(input.simulator.devices),
        [runtimeEnv.simRate]: String(input.simulator.rate),
        // A few spikes per minute at the default rate, so the dashboard shows alerts too.
        [runtimeEnv.simHeartRateSpikeRatio]: '0.005',
      },
    },
  ];
}
