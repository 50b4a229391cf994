import {
  claimSpecSchema,
  credentialKeys,
  describePlatform,
  renderSecretData,
  type PlatformCredentials,
  type RenderedSecret,
} from '@realtime-platform/platform-contract';
import type { Kubectl } from '../../src/index.js';

/**
 * The contract's fields of a claim spec read from the cluster (Crossplane adds its own, e.g.
 * resourceRef and compositionRef, which the contract's validator rightly refuses).
 */
export function contractSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const fields = Object.keys(claimSpecSchema.properties);
  return Object.fromEntries(Object.entries(spec).filter(([key]) => fields.includes(key)));
}

/** A Secret's data, decoded. */
export async function secretData(
  kubectl: Kubectl,
  name: string,
  namespace: string,
): Promise<Record<string, string> | undefined> {
  const secret = await kubectl.getJson<
    { data?: Record<string, string> } & { metadata: { name: string } }
  >('secret', name, namespace);
  if (!secret) return undefined;
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
}

export interface LivePlatformSecrets {
  /** The five Secrets as they are in the namespace. */
  live: Record<string, Record<string, string>>;
  /** What the contract says they hold for this claim, with the credentials read back. */
  expected: RenderedSecret[];
  credentials: PlatformCredentials;
}

/**
 * Reads the five `{name}-*-secret` of a platform and renders what @realtime-platform/platform-contract
 * says they hold (endpoints, settings, and the generated credentials read back from them):
 * renderSecretData refuses a missing or empty credential.
 */
export async function platformSecrets(
  kubectl: Kubectl,
  claimSpec: Record<string, unknown>,
  namespace: string,
): Promise<LivePlatformSecrets> {
  const model = describePlatform({ claim: contractSpec(claimSpec), namespace });
  const live: Record<string, Record<string, string>> = {};
  const credentials: Record<string, string> = {};
  for (const secret of model.secrets) {
    const data = await secretData(kubectl, secret.name, namespace);
    if (!data) throw new Error(`secret ${namespace}/${secret.name} does not exist`);
    live[secret.name] = data;
    for (const key of credentialKeys) if (key in data) credentials[key] = data[key] as string;
  }
  return { live, expected: renderSecretData(model, credentials), credentials };
}
