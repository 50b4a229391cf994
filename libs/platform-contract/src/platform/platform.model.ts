import { conditionHolds, type RealtimePlatformSpec } from '../claim/claim.types.js';
import { parseClaimSpec } from '../claim/claim.validator.js';
import { contractErrors } from '../contract.errors.js';
import {
  secretCatalog,
  secretName,
  type SecretDefinition,
  type SecretId,
} from '../secrets/secret.catalog.js';
import { databaseCatalog } from '../services/database.catalog.js';
import {
  serviceCatalog,
  type ServiceId,
  type ServicePortDefinition,
} from '../services/service.catalog.js';
import { planTopics, type PlannedTopic } from '../topics/topic.plan.js';
import { kafkaBrokerPodHosts } from '../kafka-cluster/kafka-cluster.settings.js';

export const defaultClusterDomain = 'cluster.local';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface PlatformInput {
  /** The claim's `spec`, validated and defaulted here (throws RTP_ERR_CONTRACT_CLAIM_INVALID). */
  readonly claim: unknown;
  /** Where the platform's Services live (the claim's namespace). */
  readonly namespace: string;
  readonly clusterDomain?: string;
}

export interface PlatformService {
  readonly id: ServiceId;
  /** The Kubernetes Service name, `{name}-{suffix}`. */
  readonly name: string;
  /** `<service>.<namespace>.svc.<clusterDomain>` */
  readonly host: string;
  readonly description: string;
  readonly ports: readonly ServicePortDefinition[];
  readonly stateful: boolean;
  /**
   * The hosts of the Service's pods when clients must name each of them (the brokers of a
   * multi-broker Kafka, through its headless Service); absent when the Service host is the address.
   */
  readonly podHosts?: readonly string[];
}

export interface PlatformSecret {
  readonly id: SecretId;
  /** `{name}-mqtt-secret`, … */
  readonly name: string;
  /** False when the spec turns the feature off: the Secret then holds only its `*_ENABLED` flag. */
  readonly enabled: boolean;
  readonly definition: SecretDefinition;
}

export interface PlatformModel {
  readonly name: string;
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly spec: RealtimePlatformSpec;
  /** The Services the spec deploys, in catalog order. */
  readonly services: readonly PlatformService[];
  /** Always all five, in `envFrom` order. */
  readonly secrets: readonly PlatformSecret[];
  readonly topics: readonly PlannedTopic[];
  /** The PostgreSQL databases to create. */
  readonly databases: readonly string[];
}

/** `<service>.<namespace>.svc.<clusterDomain>` */
export function serviceHost(
  serviceName: string,
  namespace: string,
  clusterDomain: string = defaultClusterDomain,
): string {
  return `${serviceName}.${namespace}.svc.${clusterDomain}`;
}

/**
 * The whole platform a claim describes: the single model every layer derives from.
 *
 * @throws RTP_ERR_CONTRACT_CLAIM_INVALID, RTP_ERR_CONTRACT_NAMESPACE_INVALID,
 *   RTP_ERR_CONTRACT_CLUSTER_DOMAIN_INVALID
 */
export function describePlatform(input: PlatformInput): PlatformModel {
  const { namespace } = input;
  const clusterDomain = input.clusterDomain ?? defaultClusterDomain;
  if (!dns1123Label.test(namespace) || namespace.length > 63) {
    throw contractErrors.NAMESPACE_INVALID({ namespace });
  }
  if (!dnsName.test(clusterDomain) || clusterDomain.length > 253) {
    throw contractErrors.CLUSTER_DOMAIN_INVALID({ clusterDomain });
  }
  const spec = parseClaimSpec(input.claim);
  const { name } = spec;
  const services = serviceCatalog
    .filter((service) => conditionHolds(service.enabledWhen, spec))
    .map((service): PlatformService => {
      const serviceName = `${name}-${service.suffix}`;
      const podHosts =
        service.id === 'kafka'
          ? kafkaBrokerPodHosts(name, spec.kafkaBrokers, namespace, clusterDomain)
          : [];
      return {
        id: service.id,
        name: serviceName,
        host: serviceHost(serviceName, namespace, clusterDomain),
        description: service.description,
        ports: service.ports,
        stateful: service.stateful,
        ...(podHosts.length > 0 ? { podHosts } : {}),
      };
    });
  const secrets = (secretCatalog as readonly SecretDefinition[]).map(
    (definition): PlatformSecret => ({
      id: definition.id,
      name: secretName(name, definition.id),
      enabled: conditionHolds(definition.enabledWhen, spec),
      definition,
    }),
  );
  return {
    name,
    namespace,
    clusterDomain,
    spec,
    services,
    secrets,
    topics: planTopics(spec),
    databases: databaseCatalog
      .filter((database) => conditionHolds(database.enabledWhen, spec))
      .map((database) => database.name),
  };
}

/** The deployed Service with this id, or undefined when the spec turns it off. */
export function findService(platform: PlatformModel, id: ServiceId): PlatformService | undefined {
  return platform.services.find((service) => service.id === id);
}

/**
 * The `envFrom` list that injects the five secrets of platform `name`. All five always exist, so
 * none is `optional`. Their keys never repeat, so their order cannot change a value; anything else a
 * workload loads with `envFrom` must come BEFORE them (the last source wins).
 */
export function secretEnvFrom(name: string): { secretRef: { name: string } }[] {
  return secretCatalog.map((secret) => ({ secretRef: { name: secretName(name, secret.id) } }));
}
