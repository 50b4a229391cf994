// The engine of `rtp render` and `rtp validate` (tools/cli): an OAM Application through the
// realtime-platform addon (@realtime-platform/addons), offline, with the real vela, cue, crossplane
// and helm. It lives beside the CLI, not in addons/, so the addon package holds only the addon,
// its generators and the Go function; the dependency runs one way, engine -> addon.
export {
  formatProblem,
  type ApplicationProblem,
  type ProblemSource,
} from './application-problem.js';
export {
  addonMetadata,
  installedDefinitions,
  objectOf,
  renderAddonTemplate,
  type AddonMetadata,
  type AddonTemplateResult,
  type RenderedAddon,
} from './addon-template.js';
export {
  contractProblems,
  planDefinitions,
  platformComponentType,
  type DefinitionPlan,
} from './application-checks.js';
export {
  defaultAddonParameters,
  renderApplication,
  validateApplication,
  type ApplicationRenderOptions,
  type ComposedClaim,
  type RenderedApplication,
  type RenderedRelease,
  type RenderOutcome,
  type ValidatedApplication,
  type ValidationOutcome,
} from './application-render.js';
export {
  claimXrdOf,
  compositeFromClaim,
  composedReleases,
  LocalFunctions,
  renderClaim,
  renderComposite,
  type CompositeRenderInput,
  type FunctionResult,
  type RenderResult,
} from './crossplane-render.js';
export { crossplaneValidate, type CrossplaneValidateResult } from './crossplane-validate.js';
export { manifestsToYaml, parseManifests, type KubeObject } from './kube-object.js';
export {
  parseApplication,
  type ApplicationParseResult,
  type OamApplication,
  type OamComponent,
  type OamTrait,
} from './oam-application.js';
export {
  previewValues,
  templateRelease,
  type ReleaseTemplateOptions,
  type ReleaseTemplateResult,
  type TemplatedRelease,
} from './release-template.js';
export { renderErrors } from './render.errors.js';
export { goTool, goToolsSetupHint, helmTool } from './render-tools.js';
export { explainVelaError } from './vela-error.explainer.js';
export {
  builtinDefinitionFile,
  builtinDefinitionsDir,
  dryRunApplication,
  runVelaOffline,
  type DefinitionKind,
  type DryRunResult,
  type VelaDefinitions,
} from './vela-dry-run.js';
export { addonParameterPaths, withAddonParameter } from './addon-parameters.js';
