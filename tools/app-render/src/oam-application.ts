import { parseAllDocuments } from 'yaml';
import type { ApplicationProblem } from './application-problem.js';

export interface OamTrait {
  type: string;
  properties: Record<string, unknown>;
}

export interface OamComponent {
  name: string;
  type: string;
  properties: Record<string, unknown>;
  traits: OamTrait[];
}

/** The parts of a KubeVela Application (core.oam.dev/v1beta1) that rendering and checks read. */
export interface OamApplication {
  name: string;
  namespace: string;
  components: OamComponent[];
  /** Policy types (spec.policies[].type). */
  policyTypes: string[];
  /** Workflow step types (spec.workflow.steps[].type). */
  workflowStepTypes: string[];
}

export type ApplicationParseResult =
  { ok: true; app: OamApplication } | { ok: false; problems: ApplicationProblem[] };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads one Application from YAML text and checks its shape: one document, apiVersion
 * core.oam.dev/v1beta1, kind Application, a metadata.name, and components with unique names, a
 * type, object properties and traits. YAML errors are reported with line and column.
 */
export function parseApplication(text: string): ApplicationParseResult {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const yamlProblems = docs.flatMap((doc) =>
    doc.errors.map((error) => ({
      source: 'yaml' as const,
      // prettyErrors: "<what> at line L, column C:" and then an excerpt of the text.
      message: (error.message.split('\n')[0] ?? error.message).replace(/:$/, ''),
    })),
  );
  if (yamlProblems.length > 0) return { ok: false, problems: yamlProblems };
  const values = docs.map((doc) => doc.toJSON() as unknown).filter((v) => v !== null);
  if (values.length !== 1) {
    return {
      ok: false,
      problems: [
        {
          source: 'shape',
          message: `expected one YAML document holding an Application, found ${values.length}`,
        },
      ],
    };
  }
  return checkShape(values[0]);
}

function checkShape(value: unknown): ApplicationParseResult {
  const problems: ApplicationProblem[] = [];
  const problem = (field: string, message: string, component?: string) =>
    problems.push({ source: 'shape', field, message, ...(component ? { component } : {}) });
  if (!isObject(value)) {
    return {
      ok: false,
      problems: [{ source: 'shape', message: 'expected an Application object' }],
    };
  }
  if (value.apiVersion !== 'core.oam.dev/v1beta1')
    problem('apiVersion', `must be core.oam.dev/v1beta1, got ${JSON.stringify(value.apiVersion)}`);
  if (value.kind !== 'Application')
    problem('kind', `must be Application, got ${JSON.stringify(value.kind)}`);
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') problem('metadata.name', 'is required');
  const namespace = metadata.namespace ?? 'default';
  if (typeof namespace !== 'string' || !dns1123Label.test(namespace))
    problem('metadata.namespace', `must be a namespace name, got ${JSON.stringify(namespace)}`);
  const spec = isObject(value.spec) ? value.spec : undefined;
  if (!spec) problem('spec', 'is required');
  const rawComponents = spec?.components;
  if (spec && (!Array.isArray(rawComponents) || rawComponents.length === 0))
    problem('spec.components', 'must be a non-empty list of components');

  const components: OamComponent[] = [];
  const seen = new Map<string, number>();
  (Array.isArray(rawComponents) ? rawComponents : []).forEach((raw: unknown, index) => {
    const at = `spec.components[${index}]`;
    if (!isObject(raw)) return problem(at, 'must be an object with name and type');
    const componentName = raw.name;
    if (typeof componentName !== 'string' || !dns1123Subdomain.test(componentName)) {
      return problem(
        `${at}.name`,
        `must be a DNS-1123 name (lowercase letters, digits, "-" and "."), got ${JSON.stringify(componentName)}`,
      );
    }
    const first = seen.get(componentName);
    if (first !== undefined)
      problem(`${at}.name`, `repeats the name of spec.components[${first}]`, componentName);
    seen.set(componentName, index);
    if (typeof raw.type !== 'string' || raw.type === '')
      problem('type', 'is required (the component definition to use)', componentName);
    const properties = raw.properties ?? {};
    if (!isObject(properties)) problem('properties', 'must be an object', componentName);
    const traits: OamTrait[] = [];
    const rawTraits = raw.traits ?? [];
    if (!Array.isArray(rawTraits)) problem('traits', 'must be a list', componentName);
    (Array.isArray(rawTraits) ? rawTraits : []).forEach((trait: unknown, t) => {
      if (!isObject(trait) || typeof trait.type !== 'string' || trait.type === '')
        return problem(`traits[${t}].type`, 'is required', componentName);
      const traitProperties = trait.properties ?? {};
      if (!isObject(traitProperties))
        return problem(`traits[${t}].properties`, 'must be an object', componentName);
      traits.push({ type: trait.type, properties: traitProperties });
    });
    components.push({
      name: componentName,
      type: typeof raw.type === 'string' ? raw.type : '',
      properties: isObject(properties) ? properties : {},
      traits,
    });
  });

  const typesOf = (list: unknown, field: string): string[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problem(field, 'must be a list');
      return [];
    }
    return list.flatMap((entry: unknown, index) => {
      if (isObject(entry) && typeof entry.type === 'string') return [entry.type];
      problem(`${field}[${index}].type`, 'is required');
      return [];
    });
  };
  const policyTypes = typesOf(spec?.policies, 'spec.policies');
  const workflow = isObject(spec?.workflow) ? spec.workflow : {};
  const workflowStepTypes = typesOf(workflow.steps, 'spec.workflow.steps');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    app: {
      name: name as string,
      namespace: namespace as string,
      components,
      policyTypes,
      workflowStepTypes,
    },
  };
}
