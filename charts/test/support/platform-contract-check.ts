// Checks a rendered realtime platform against @realtime-platform/platform-contract: the data the
// contract says the five Secrets hold, and that every host in them resolves to a Service the chart
// rendered, on the port (name and number) the contract gives, in front of a pod that exposes it.
// This is the check the earlier attempt lacked: four of its five secrets pointed at Services that
// did not exist.
import {
  credentialKeys,
  describePlatform,
  renderSecretData,
  resolveEndpoint,
  type EndpointKeyDefinition,
  type PlatformCredentials,
  type PlatformModel,
  type RenderedSecret,
  type SecretId,
  type SecretKeyDefinition,
} from '@realtime-platform/platform-contract';
import type { KubernetesObject, RenderedChart } from './render-chart.js';
import { containersOf, selects, workloadsOf } from './workloads.js';

/** The platform model of a claim in a namespace (validated and defaulted by the contract). */
export function platformModel(claim: unknown, namespace: string): PlatformModel {
  return describePlatform({ claim, namespace });
}

/** The credentials the chart generated, read back from the rendered Secrets of enabled features. */
export function renderedCredentials(
  render: RenderedChart,
  model: PlatformModel,
): PlatformCredentials {
  const credentials: Record<string, string> = {};
  for (const secret of model.secrets) {
    if (!secret.enabled) continue;
    const data = render.secretData(secret.name);
    for (const key of secret.definition.keys as readonly SecretKeyDefinition[]) {
      const value = data[key.key];
      if (key.kind === 'credential' && value !== undefined) credentials[key.key] = value;
    }
  }
  for (const key of Object.keys(credentials)) {
    if (!(credentialKeys as readonly string[]).includes(key)) delete credentials[key];
  }
  return credentials;
}

/** The five Secrets as the contract renders them for this claim, with the chart's credentials. */
export function expectedSecrets(render: RenderedChart, model: PlatformModel): RenderedSecret[] {
  return renderSecretData(model, renderedCredentials(render, model));
}

interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: { name?: string; port: number; targetPort?: string | number }[];
}

type Address = { host?: string; port?: number };

function addressesOf(value: string, key: EndpointKeyDefinition): Address[] {
  switch (key.format) {
    case 'host':
      return [{ host: value }];
    case 'port':
      return [{ port: Number(value) }];
    case 'bootstrap':
      return value.split(',').map((hostPort) => {
        const [host, port] = hostPort.split(':');
        return { host, port: Number(port) };
      });
    case 'url': {
      const url = new URL(value);
      return [{ host: url.hostname, port: Number(url.port) }];
    }
  }
}

/** The pods a Service sends traffic to expose its target port: problems, or []. */
function backendProblems(render: RenderedChart, service: KubernetesObject, portName: string) {
  const spec = (service as unknown as { spec: ServiceSpec }).spec;
  const port = spec.ports?.find((candidate) => candidate.name === portName);
  const backends = workloadsOf(render).filter(
    (workload) => workload.longRunning && selects(spec.selector, workload.template.metadata.labels),
  );
  if (!backends.length) return [`Service ${service.metadata.name} selects no rendered pod`];
  const target = port?.targetPort ?? port?.port;
  const exposed = backends.some((workload) =>
    containersOf(workload.template).some((container) =>
      (container.ports ?? []).some((p) =>
        typeof target === 'number' ? p.containerPort === target : p.name === target,
      ),
    ),
  );
  return exposed
    ? []
    : [
        `Service ${service.metadata.name} port ${portName} targets ${String(target)}, no pod exposes it`,
      ];
}

/**
 * What keeps `<pod>.<service>.<namespace>.svc…` from reaching a pod on `port`: the Service must be
 * headless with that port, and a StatefulSet governed by it must have that pod (name and ordinal).
 */
function podHostProblems(render: RenderedChart, host: string, port: number): string[] {
  const [pod = '', serviceName = ''] = host.split('.');
  const service = render.find('Service', serviceName) as
    (KubernetesObject & { spec: ServiceSpec & { clusterIP?: string } }) | undefined;
  if (!service) return [`the chart renders no Service ${serviceName} for pod host ${host}`];
  const problems: string[] = [];
  if (service.spec.clusterIP !== 'None') problems.push(`Service ${serviceName} is not headless`);
  if (!service.spec.ports?.some((p) => p.port === port)) {
    problems.push(`Service ${serviceName} has no port ${port}`);
  }
  const ordinal = Number(pod.slice(pod.lastIndexOf('-') + 1));
  const statefulSet = render.find('StatefulSet', pod.slice(0, pod.lastIndexOf('-'))) as
    (KubernetesObject & { spec: { serviceName?: string; replicas?: number } }) | undefined;
  if (
    statefulSet?.spec.serviceName !== serviceName ||
    !Number.isInteger(ordinal) ||
    (statefulSet.spec.replicas ?? 1) <= ordinal
  ) {
    problems.push(`no StatefulSet of Service ${serviceName} has a pod ${pod}`);
  }
  return problems;
}

/**
 * Everything wrong with the endpoints in the rendered Secrets (empty when all is right): each host
 * must be the contract's fully qualified host of a Service the chart rendered, each port the
 * contract's port of that Service, present on the Service with the contract's name, and the
 * Service must select a rendered pod exposing its target port.
 */
export function endpointProblems(
  render: RenderedChart,
  model: PlatformModel,
  only?: readonly SecretId[],
): string[] {
  const problems: string[] = [];
  for (const secret of model.secrets) {
    if (!secret.enabled || (only && !only.includes(secret.id))) continue;
    const data = render.secretData(secret.name);
    for (const key of secret.definition.keys as readonly SecretKeyDefinition[]) {
      if (key.kind !== 'endpoint') continue;
      const where = `${secret.name} ${key.key}`;
      const value = data[key.key];
      if (value === undefined) {
        problems.push(`${where}: missing`);
        continue;
      }
      const expected = resolveEndpoint(model, key);
      const service = render.find('Service', expected.service.name);
      if (!service) {
        problems.push(`${where}: the chart renders no Service ${expected.service.name}`);
        continue;
      }
      const servicePort = (service as unknown as { spec: ServiceSpec }).spec.ports?.find(
        (port) => port.name === expected.port.name,
      );
      if (servicePort?.port !== expected.port.port) {
        problems.push(
          `${where}: Service ${expected.service.name} has no port ${expected.port.name}=${expected.port.port}`,
        );
      }
      // A multi-broker Kafka's bootstrap names each broker pod, through its headless Service.
      const hosts = expected.service.podHosts ?? [expected.service.host];
      for (const address of addressesOf(value, key)) {
        if (address.host !== undefined && !hosts.includes(address.host)) {
          problems.push(`${where}: host ${address.host} is not one of ${hosts.join(', ')}`);
        }
        if (address.host !== undefined && expected.service.podHosts) {
          problems.push(
            ...podHostProblems(render, address.host, expected.port.port).map(
              (p) => `${where}: ${p}`,
            ),
          );
        }
        if (address.port !== undefined && address.port !== expected.port.port) {
          problems.push(`${where}: port ${address.port} is not ${expected.port.port}`);
        }
      }
      problems.push(
        ...backendProblems(render, service, expected.port.name).map((p) => `${where}: ${p}`),
      );
    }
  }
  return problems;
}
