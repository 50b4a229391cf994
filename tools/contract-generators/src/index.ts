// Build-time generators: they print the other layers (the KubeVela definition's CUE, the Crossplane
// XRD, the platform contract's README tables) from the runtime model of
// @realtime-platform/platform-contract. Only the addon's build and the docs use them, so they live
// here and not in the model every SDK user installs.
export {
  renderCueParameter,
  renderCueClaimSpec,
  renderCueImports,
  type CueSnippet,
} from './cue.generator.js';
export { renderXrd, renderXrdOpenApiSchema, claimStatusSchema, claimApi } from './xrd.generator.js';
export {
  syncReadme,
  renderReadmeSection,
  readmeSections,
  examplePlatform,
  type ReadmeSection,
} from './readme.generator.js';
