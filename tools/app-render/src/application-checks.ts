import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addonDefinitionsDir } from '@realtime-platform/addons';
import { validateClaimSpec } from '@realtime-platform/platform-contract';
import type { RenderedAddon } from './addon-template.js';
import { installedDefinitions } from './addon-template.js';
import type { ApplicationProblem } from './application-problem.js';
import type { OamApplication } from './oam-application.js';
import {
  builtinDefinitionFile,
  type DefinitionKind,
  type VelaDefinitions,
} from './vela-dry-run.js';

/** The component type the platform contract validates (the claim spec is its properties). */
export const platformComponentType = 'realtime-platform';

const headerKinds: Record<string, DefinitionKind> = {
  component: 'component',
  trait: 'trait',
  policy: 'policy',
  'workflow-step': 'workflowstep',
};

const objectKinds: Record<string, DefinitionKind> = {
  ComponentDefinition: 'component',
  TraitDefinition: 'trait',
  PolicyDefinition: 'policy',
  WorkflowStepDefinition: 'workflowstep',
};

/** `<kind>/<type>` of every definition the addon provides: its .cue files and what template.cue installs. */
function addonDefinitionRefs(addon: RenderedAddon): Set<string> {
  const refs = new Set<string>();
  for (const file of readdirSync(addonDefinitionsDir).filter((f) => f.endsWith('.cue'))) {
    const header = /^"?([a-z0-9-]+)"?:\s*\{\s*\n\s*type:\s*"([a-z-]+)"/m.exec(
      readFileSync(join(addonDefinitionsDir, file), 'utf8'),
    );
    const kind = header?.[2] ? headerKinds[header[2]] : undefined;
    if (header?.[1] && kind) refs.add(`${kind}/${header[1]}`);
  }
  for (const object of installedDefinitions(addon)) {
    const kind = objectKinds[object.kind];
    if (kind) refs.add(`${kind}/${object.metadata.name}`);
  }
  return refs;
}

export interface DefinitionPlan {
  /** What `vela dry-run -d` gets: the addon's definitions, those template.cue installs, the built-ins used. */
  definitions: VelaDefinitions;
  /** Types neither the addon nor vela-core defines. */
  problems: ApplicationProblem[];
  /** Whether `webservice` is the addon's override (overrideWebservice) rather than vela-core's. */
  webserviceOverridden: boolean;
}

/**
 * The definitions an offline dry-run of `app` needs. Offline, vela knows no type unless it is
 * given: the addon's definitions win over vela-core's built-ins of the same name (the webservice
 * override), and a type nobody defines is a problem naming the component, not a vela stack trace.
 */
export function planDefinitions(app: OamApplication, addon: RenderedAddon): DefinitionPlan {
  const provided = addonDefinitionRefs(addon);
  const builtin = new Set<string>();
  const problems: ApplicationProblem[] = [];
  const need = (
    kind: DefinitionKind,
    type: string,
    at: Omit<ApplicationProblem, 'message' | 'source'>,
  ) => {
    if (provided.has(`${kind}/${type}`)) return;
    const file = builtinDefinitionFile(kind, type);
    if (file) {
      builtin.add(file);
      return;
    }
    const what = kind === 'workflowstep' ? 'workflow step' : kind;
    problems.push({
      source: 'definitions',
      ...at,
      message: `${JSON.stringify(type)} is no ${what} type of the realtime-platform addon or of vela-core (offline, rtp knows no other definitions)`,
    });
  };
  for (const component of app.components) {
    need('component', component.type, { component: component.name, field: 'type' });
    component.traits.forEach((trait, index) =>
      need('trait', trait.type, { component: component.name, field: `traits[${index}].type` }),
    );
  }
  app.policyTypes.forEach((type, index) =>
    need('policy', type, { field: `spec.policies[${index}].type` }),
  );
  app.workflowStepTypes.forEach((type, index) =>
    need('workflowstep', type, { field: `spec.workflow.steps[${index}].type` }),
  );
  return {
    definitions: {
      addon: true,
      builtin: [...builtin].sort(),
      objects: installedDefinitions(addon),
    },
    problems,
    webserviceOverridden: provided.has('component/webservice'),
  };
}

/** The contract's message for a claim path, relative to the component (`spec.x` → `properties.x`). */
function claimProblem(component: string, path: string, message: string): ApplicationProblem {
  const field = path.replace(/^spec(?=\.|\[|$)/, 'properties') || 'properties';
  const rest = message.startsWith(path)
    ? message.slice(path.length).replace(/^:?\s*/, '')
    : message;
  return {
    source: 'contract',
    component,
    field,
    message: rest.replace(/\bspec\./g, 'properties.'),
  };
}

/**
 * What the platform contract says about the Application before vela runs: every realtime-platform
 * component's properties are a claim spec, checked by `validateClaimSpec` (types, enums, patterns,
 * defaults and the cross-field rules the XRD enforces with CEL). And a `realtime` property on
 * vela-core's own webservice, which would be dropped without a word.
 */
export function contractProblems(app: OamApplication, plan: DefinitionPlan): ApplicationProblem[] {
  const problems: ApplicationProblem[] = [];
  for (const component of app.components) {
    if (component.type === platformComponentType) {
      const result = validateClaimSpec(component.properties);
      if (!result.ok) {
        for (const error of result.errors) {
          const path = typeof error.details.path === 'string' ? error.details.path : 'spec';
          problems.push(claimProblem(component.name, path, error.message));
        }
      }
    }
    if (
      component.type === 'webservice' &&
      !plan.webserviceOverridden &&
      'realtime' in component.properties
    ) {
      problems.push({
        source: 'contract',
        component: component.name,
        field: 'properties.realtime',
        message:
          "vela-core's webservice has no realtime property and would drop it: enable the addon option overrideWebservice (rtp: --set overrideWebservice=true), or use type realtime-webservice or the realtime trait",
      });
    }
  }
  return problems;
}
