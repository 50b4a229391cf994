import { readFileSync } from 'node:fs';
import type { Helm } from '@realtime-platform/toolchain';
import { renderAddonTemplate, type RenderedAddon } from './addon-template.js';
import { contractProblems, planDefinitions } from './application-checks.js';
import type { ApplicationProblem } from './application-problem.js';
import {
  claimXrdOf,
  composedReleases,
  LocalFunctions,
  renderClaim,
  type FunctionResult,
} from './crossplane-render.js';
import type { KubeObject } from './kube-object.js';
import { parseApplication, type OamApplication } from './oam-application.js';
import { templateRelease, type TemplatedRelease } from './release-template.js';
import { explainVelaError } from './vela-error.explainer.js';
import { dryRunApplication } from './vela-dry-run.js';

/**
 * The addon parameters a render uses unless told otherwise. `chartRepository` has no default in
 * the addon (on purpose); offline it only ends up in the Releases' `chart.repository`.
 */
export const defaultAddonParameters: Readonly<Record<string, unknown>> = {
  chartRepository: 'https://charts.example.org/realtime-platform',
};

/**
 * The parameters of one render: the defaults, the given ones, and, unless they say where
 * provider-helm may act (the addon refuses to choose), the Application's own namespace as the one
 * tenant namespace: where its claims and so its platforms go.
 */
function addonParametersFor(
  app: OamApplication,
  given: Record<string, unknown> = {},
): Record<string, unknown> {
  const parameters = { ...defaultAddonParameters, ...given };
  const providerHelm = (parameters.providerHelm ?? {}) as Record<string, unknown>;
  if ('tenantNamespaces' in providerHelm || 'clusterWide' in providerHelm) return parameters;
  return { ...parameters, providerHelm: { ...providerHelm, tenantNamespaces: [app.namespace] } };
}

export interface ApplicationRenderOptions {
  /** Parameters of the addon, as `vela addon enable realtime-platform key=value` takes them. */
  addonParameters?: Record<string, unknown>;
  helm?: Helm;
  /** Where the charts are (default: this repository's charts/). */
  chartsDir?: string;
  /** Called as each step starts (progress). */
  onStep?: (step: string) => void;
}

export interface ValidatedApplication {
  app: OamApplication;
  addon: RenderedAddon;
  /** What `vela dry-run --offline` renders: every object, the claims included. */
  objects: KubeObject[];
}

export type ValidationOutcome =
  { ok: true; validated: ValidatedApplication } | { ok: false; problems: ApplicationProblem[] };

const labelComponent = (object: KubeObject): string | undefined =>
  object.metadata.labels?.['app.oam.dev/component'];

/**
 * Checks an Application the way `rtp validate` does, without rendering charts: YAML and shape;
 * the addon parameters (template.cue by the CUE CLI); every type defined by the addon or
 * vela-core; the platform contract on every realtime-platform component (`validateClaimSpec`);
 * then `vela dry-run --offline` with the addon's definitions, its error explained as a problem
 * naming component and field. Invalid input is returned as problems; tool failures throw.
 */
export async function validateApplication(
  file: string,
  options: ApplicationRenderOptions = {},
): Promise<ValidationOutcome> {
  const step = options.onStep ?? (() => undefined);
  step('reading the Application');
  const parsed = parseApplication(readFileSync(file, 'utf8'));
  if (!parsed.ok) return parsed;
  const { app } = parsed;

  step('rendering the addon (template.cue, CUE CLI)');
  const addonResult = await renderAddonTemplate(addonParametersFor(app, options.addonParameters));
  if (!addonResult.ok) {
    return {
      ok: false,
      problems: [
        {
          source: 'addon',
          message: `the addon parameters are refused by template.cue: ${addonResult.stderr.trim()}`,
        },
      ],
    };
  }
  const addon = addonResult.rendered;

  step('checking the components against the platform contract');
  const plan = planDefinitions(app, addon);
  const problems = [...plan.problems, ...contractProblems(app, plan)];
  if (problems.length > 0) return { ok: false, problems };

  step('vela dry-run --offline');
  const dryRun = await dryRunApplication(file, plan.definitions);
  if (dryRun.exitCode !== 0) {
    return { ok: false, problems: [explainVelaError(dryRun.error, app)] };
  }
  return { ok: true, validated: { app, addon, objects: dryRun.objects } };
}

/** A claim and what `crossplane render` composed of it. */
export interface ComposedClaim {
  claim: KubeObject;
  /** The composite resource, with the status the functions wrote. */
  composite: KubeObject;
  /** The composed resources (the provider-helm Releases). */
  resources: KubeObject[];
  results: FunctionResult[];
}

export interface RenderedRelease {
  claim: KubeObject;
  release: KubeObject;
  templated: TemplatedRelease;
}

export interface RenderedApplication {
  app: OamApplication;
  /** The dry-run's objects that are not claims (workloads, Services, ...). */
  workloads: KubeObject[];
  /** The addon's claims the Application renders. */
  claims: KubeObject[];
  composed: ComposedClaim[];
  releases: RenderedRelease[];
  /** Worth knowing, not wrong: function warnings, a chart version that differs from the Release's. */
  warnings: string[];
}

export type RenderOutcome =
  { ok: true; rendered: RenderedApplication } | { ok: false; problems: ApplicationProblem[] };

function crossplaneMessage(stderr: string): string {
  const line = stderr.trim().split('\n').filter(Boolean).at(-1) ?? stderr;
  return line.replace(/^crossplane: error:\s*/, '').trim();
}

function helmHint(message: string): string {
  return /acceptEULA/.test(message)
    ? `${message}\n(the addon parameter lenses.acceptEULA accepts the Lenses EULA for platforms with streamProcessing: lenses: --set lenses.acceptEULA=true)`
    : message;
}

/**
 * Everything an Application becomes, offline: `validateApplication`, then for every claim of the
 * addon `crossplane render` with the addon's Composition and its functions running locally, then
 * for every provider-helm Release composed `helm template` of the chart from charts/ with the
 * Release's values. Invalid input (also a chart refusing its values) is returned as problems.
 */
export async function renderApplication(
  file: string,
  options: ApplicationRenderOptions = {},
): Promise<RenderOutcome> {
  const step = options.onStep ?? (() => undefined);
  const validation = await validateApplication(file, options);
  if (!validation.ok) return validation;
  const { app, addon, objects } = validation.validated;
  const claims = objects.filter((o) => claimXrdOf(addon, o) !== undefined);
  const workloads = objects.filter((o) => !claims.includes(o));
  const warnings: string[] = [];
  const problems: ApplicationProblem[] = [];

  const composed: ComposedClaim[] = [];
  if (claims.length > 0) {
    step('crossplane render (function-compose-platform, function-auto-ready)');
    const functions = new LocalFunctions();
    try {
      await functions.start();
      for (const claim of claims) {
        const result = await renderClaim(functions, addon, claim);
        const component = labelComponent(claim);
        if (result.exitCode !== 0 || !result.composite) {
          problems.push({
            source: 'crossplane',
            ...(component ? { component } : {}),
            message: `crossplane render of ${claim.kind}/${claim.metadata.name}: ${crossplaneMessage(result.stderr)}`,
          });
          continue;
        }
        for (const r of result.results) {
          warnings.push(`${claim.kind}/${claim.metadata.name}: ${r.step}: ${r.message}`);
        }
        composed.push({
          claim,
          composite: result.composite,
          resources: Object.values(result.composed),
          results: result.results,
        });
      }
    } finally {
      await functions.stop();
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const releases: RenderedRelease[] = [];
  for (const { claim, resources } of composed) {
    for (const release of composedReleases(resources)) {
      step(`helm template ${release.spec.forProvider.chart.name}`);
      const result = await templateRelease(release, {
        ...(options.helm ? { helm: options.helm } : {}),
        ...(options.chartsDir ? { chartsDir: options.chartsDir } : {}),
      });
      const component = labelComponent(claim);
      if (!result.ok) {
        problems.push({
          source: 'helm',
          ...(component ? { component } : {}),
          message: `chart ${result.chart} (release ${result.releaseName}) refuses the Release's values: ${helmHint(result.message)}`,
        });
        continue;
      }
      const { chart } = result.templated;
      if (chart.version !== chart.renderedVersion) {
        warnings.push(
          `Release ${release.metadata.name} asks for chart ${chart.name} ${chart.version}; rendered is charts/${chart.name} ${chart.renderedVersion}`,
        );
      }
      releases.push({ claim, release, templated: result.templated });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rendered: { app, workloads, claims, composed, releases, warnings } };
}
