import { reservedEnvMessage, reservedEnvPattern } from '@realtime-platform/addons';
import type { ApplicationProblem } from './application-problem.js';
import type { OamApplication, OamComponent } from './oam-application.js';

/** Components whose output.spec is their properties (the addon's claim definitions). */
const claimComponentTypes = new Set(['realtime-platform', 'iot-broker']);

/** vela's error line: `Error: cannot generate manifests ...: <where>: <what>`. */
function errorLine(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const last = [...lines].reverse().find((line) => line.startsWith('Error:'));
  // CUE's "(and N more errors)" are the first error's consequences; the first one is the cause.
  return (last ?? lines.filter(Boolean).at(-1) ?? output)
    .replace(/^Error:\s*/, '')
    .replace(/\s*\(and \d+ more errors?\)\s*$/, '');
}

interface Located {
  component?: OamComponent;
  trait?: { index: number; type: string };
  detail: string;
}

/** Which component (and trait) vela's message is about, and the message without vela's framing. */
function locate(line: string, app: OamApplication): Located {
  const byName = (name: string | undefined) => app.components.find((c) => c.name === name);
  // A trait: "evaluate template trait=<type> app=<component>: ..." (vela puts the component in app=).
  const trait = /evaluate template trait=(\S+) app=(\S+?):\s*(.*)$/s.exec(line);
  if (trait) {
    const component = byName(trait[2]);
    const index = component?.traits.findIndex((t) => t.type === trait[1]) ?? -1;
    return {
      component,
      trait: { index, type: trait[1] as string },
      detail: stripFraming(trait[3] as string),
    };
  }
  const workload =
    /invalid cue template of workload (\S+) after merge parameter and context:\s*(.*)$/s.exec(
      line,
    ) ??
    /evaluate base template component=(\S+) app=\S+?:\s*(.*)$/s.exec(line) ??
    /fetch component\/policy type of (\S+?):\s*(.*)$/s.exec(line);
  if (workload)
    return { component: byName(workload[1]), detail: stripFraming(workload[2] as string) };
  return { detail: line.replace(/^cannot generate manifests from components and traits:\s*/, '') };
}

function stripFraming(detail: string): string {
  return detail
    .replace(/^failed to have the workload\/trait unstructured:\s*/, '')
    .replace(
      /^invalid (cue )?template of trait \S+ after merge (with )?parameter and context:\s*/,
      '',
    )
    .trim();
}

/** `parameter.x.y` → `properties.x.y`; a claim component's `output.spec.x` → `properties.x`. */
function fieldOf(cuePath: string, component: OamComponent | undefined): string | undefined {
  if (cuePath === 'parameter' || cuePath.startsWith('parameter.'))
    return cuePath.replace(/^parameter/, 'properties');
  if (component && claimComponentTypes.has(component.type) && cuePath.startsWith('output.spec.'))
    return cuePath.replace(/^output\.spec/, 'properties');
  return undefined;
}

/** The env entries of a component that a platform reserves, with their index. */
function reservedEnv(component: OamComponent): { index: number; name: string }[] {
  const env = Array.isArray(component.properties.env)
    ? (component.properties.env as unknown[])
    : [];
  const pattern = new RegExp(reservedEnvPattern);
  return env.flatMap((entry, index) => {
    const name = (entry as { name?: unknown } | null)?.name;
    return typeof name === 'string' && pattern.test(name) ? [{ index, name }] : [];
  });
}

/**
 * vela's error, as a problem naming the component, the trait and the field: vela's framing
 * ("cannot generate manifests from components and traits: evaluate base template ...") removed,
 * CUE's `parameter.*` paths as the `properties.*` the Application has. A refused env name (CUE only
 * says "empty disjunction") is named with the reason; a message of the addon's own checks that
 * names a value is given the property holding it.
 */
export function explainVelaError(output: string, app: OamApplication): ApplicationProblem {
  const { component, trait, detail } = locate(errorLine(output), app);
  const base = {
    source: 'vela' as const,
    ...(component ? { component: component.name } : {}),
    ...(trait ? { trait: trait.type } : {}),
  };
  const withPath = /^([A-Za-z_$][\w$]*(?:\.[\w$"-]+|\[\d+\])*):\s*(.*)$/s.exec(detail);
  const field = withPath ? fieldOf(withPath[1] as string, component) : undefined;

  // realtime-webservice, realtime-service and the webservice override refuse reserved env names
  // in the parameter's type: CUE reports "parameter.env: N errors in empty disjunction".
  if (component && field === 'properties.env') {
    const [reserved] = reservedEnv(component);
    const platform = component.properties.realtime;
    if (reserved && typeof platform === 'string') {
      return {
        ...base,
        field: `properties.env[${reserved.index}].name`,
        message: reservedEnvMessage(reserved.name, platform),
      };
    }
  }
  if (withPath && field) return { ...base, field, message: withPath[2] as string };

  // The realtime trait's own messages: "env X is reserved: ..." and "realtime: platform "x" is not declared ...".
  if (component) {
    const envName = /^env (\S+) is reserved/.exec(detail)?.[1];
    const envIndex = reservedEnv(component).find((e) => e.name === envName)?.index;
    if (envName && envIndex !== undefined) {
      return {
        source: 'vela',
        component: component.name,
        field: `properties.env[${envIndex}].name`,
        message: detail,
      };
    }
    const platform = /^realtime: platform "([^"]+)"/.exec(detail)?.[1];
    if (platform && trait && component.traits[trait.index]?.properties.platform === platform) {
      return {
        ...base,
        field: 'properties.platform',
        message: detail.replace(/^realtime:\s*/, ''),
      };
    }
    if (platform && component.properties.realtime === platform) {
      return {
        ...base,
        field: 'properties.realtime',
        message: detail.replace(/^realtime:\s*/, ''),
      };
    }
  }
  return { ...base, message: detail };
}
