// Validates rendered objects against the official Kubernetes API schemas, offline. The charts'
// tests and the CLI's `rtp render` tests check what they render with it.
//
// Source: the npm package kubernetes-models, whose validators are generated (ajv, precompiled)
// from the OpenAPI definitions the Kubernetes project publishes (api/openapi-spec/swagger.json),
// one module per apiVersion: kubernetes-models/v1, kubernetes-models/apps/v1, ... It installs
// from the npm registry like any dependency, needs no network at test time and carries no
// hand-written schema. Its validators check types, required fields, enums and formats; like the
// OpenAPI spec itself they do not reject unknown fields.
//
// On top of the schema this checks the object-name rules the API server enforces (DNS names,
// 63-character labels), which the OpenAPI spec does not express.
import type { KubernetesObject } from './helm.js';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const modules = new Map<string, Promise<Record<string, unknown> | undefined>>();
// One import at a time: jest's ESM loader fails ("request ... is not in cache") when two dynamic
// imports that share a dependency link concurrently.
let importChain: Promise<unknown> = Promise.resolve();

/** The kubernetes-models module of an apiVersion ("v1", "apps/v1", ...), or undefined. */
function modelsOf(apiVersion: string): Promise<Record<string, unknown> | undefined> {
  let loaded = modules.get(apiVersion);
  if (!loaded) {
    loaded = importChain.then(() =>
      import(`kubernetes-models/${apiVersion}`).then(
        (module: Record<string, unknown>) => module,
        (error: unknown) => {
          // An apiVersion the package does not have is "no schema"; anything else is a bug here.
          if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
          if (/Cannot find module|not exported|is not defined by "exports"/.test(String(error)))
            return undefined;
          throw error;
        },
      ),
    );
    importChain = loaded.catch(() => undefined);
    modules.set(apiVersion, loaded);
  }
  return loaded;
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose name becomes a DNS label (Service names must also start with a letter). */
const labelNamedKinds = new Set(['Service', 'Namespace', 'Job', 'CronJob', 'StatefulSet']);

function nameProblems(obj: KubernetesObject): string[] {
  const name = obj.metadata?.name ?? '';
  const problems: string[] = [];
  if (obj.kind === 'Service') {
    if (!dns1035Label.test(name) || name.length > 63)
      problems.push(`metadata.name "${name}" is not a DNS-1035 label (at most 63 characters)`);
  } else if (labelNamedKinds.has(obj.kind)) {
    if (!dnsLabel.test(name) || name.length > 63)
      problems.push(`metadata.name "${name}" is not a DNS-1123 label (at most 63 characters)`);
  } else if (!dnsSubdomain.test(name) || name.length > 253) {
    problems.push(`metadata.name "${name}" is not a DNS-1123 subdomain`);
  }
  for (const [key, value] of Object.entries(obj.metadata?.labels ?? {})) {
    if (
      typeof value !== 'string' ||
      value.length > 63 ||
      !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)
    )
      problems.push(`label ${key}="${String(value)}" is not a valid label value`);
  }
  return problems;
}

function describeValidationError(error: unknown): string[] {
  const details = (error as { errors?: AjvLikeError[] }).errors;
  if (Array.isArray(details) && details.length) {
    return details.map((detail) => {
      const extra = detail.params ? ` ${JSON.stringify(detail.params)}` : '';
      return `${detail.instancePath || '/'} ${detail.message ?? 'is invalid'}${extra}`;
    });
  }
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * Everything wrong with one object: schema violations (with their JSON path), an apiVersion/kind
 * the schemas do not know, and invalid names. Empty when the object is valid.
 */
export async function kubernetesObjectProblems(obj: KubernetesObject): Promise<string[]> {
  const where = `${obj.apiVersion ?? '?'} ${obj.kind ?? '?'}/${obj.metadata?.name ?? '?'}`;
  const models = obj.apiVersion ? await modelsOf(obj.apiVersion) : undefined;
  const Model = models?.[obj.kind] as ModelClass | undefined;
  if (typeof Model !== 'function') {
    return [`${where}: no Kubernetes schema for apiVersion "${obj.apiVersion}" kind "${obj.kind}"`];
  }
  const problems = nameProblems(obj);
  try {
    new Model(obj).validate();
  } catch (error) {
    problems.push(...describeValidationError(error));
  }
  return problems.map((problem) => `${where}: ${problem}`);
}

/** Everything wrong with a set of objects (empty when all are valid). */
export async function kubernetesProblems(objects: KubernetesObject[]): Promise<string[]> {
  return (await Promise.all(objects.map(kubernetesObjectProblems))).flat();
}
