import { kafkaPrincipalCatalog } from '../kafka-access/kafka-principal.catalog.js';
import { platformSecretCatalog } from '../secrets/platform-secret.catalog.js';
import { secretCatalog } from '../secrets/secret.catalog.js';
import { serviceCatalog } from '../services/service.catalog.js';

/** A DNS-1035 label: Service names must be one, so the platform name must be one too. */
export const platformNamePattern = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** The claim `metadata.name` the `realtime-platform` ComponentDefinition gives: `{name}-realtime`. */
export const claimResourceSuffix = '-realtime';

export function claimResourceName(name: string): string {
  return `${name}${claimResourceSuffix}`;
}

export interface NameBudgetEntry {
  /** A name the platform derives, with `{name}` for the platform name. */
  readonly derived: string;
  /** The Kubernetes limit on that derived name. */
  readonly limit: number;
  readonly why: string;
  /** The longest platform name that keeps `derived` within `limit`. */
  readonly budget: number;
}

const placeholder = '{name}';

function entry(derived: string, limit: number, why: string): NameBudgetEntry {
  return { derived, limit, why, budget: limit - (derived.length - placeholder.length) };
}

/**
 * Every derived name with a length limit. Crossplane names the composite after the claim plus `-`
 * and five random characters, and writes it into label values (at most 63 characters).
 */
export const nameBudget: readonly NameBudgetEntry[] = [
  ...serviceCatalog.map((service) =>
    entry(`{name}-${service.suffix}`, 63, 'Service name (DNS-1035 label)'),
  ),
  ...serviceCatalog
    .filter((service) => service.stateful)
    .map((service) =>
      entry(
        `{name}-${service.suffix}`,
        52,
        'StatefulSet name (its controller-revision-hash label appends 11 characters)',
      ),
    ),
  ...secretCatalog.map((secret) =>
    entry(`{name}-${secret.suffix}`, 63, 'Secret name, kept a DNS label so it fits label values'),
  ),
  ...kafkaPrincipalCatalog
    .filter((principal) => principal.id !== 'app')
    .map((principal) =>
      entry(
        `{name}-${principal.secretSuffix}`,
        63,
        'Secret of a platform Kafka principal, kept a DNS label like the five',
      ),
    ),
  ...platformSecretCatalog.map((secret) =>
    entry(
      `{name}-${secret.suffix}`,
      63,
      "Secret of the platform's own, kept a DNS label like the five",
    ),
  ),
  entry(
    `{name}${claimResourceSuffix}-xxxxx`,
    63,
    'composite name Crossplane derives from the claim',
  ),
];

/** The longest allowed platform name: the tightest entry of `nameBudget`. */
export const maxPlatformNameLength: number = Math.min(...nameBudget.map((e) => e.budget));
