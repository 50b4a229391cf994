export { generatedAddonFiles, generatedFiles } from './addon-files.js';
export { functionPackages } from './crossplane/function-packages.js';
export {
  functionExample,
  functionExampleFiles,
  type FunctionExample,
} from './crossplane/function-example.js';
export {
  addonNames,
  chartObjects,
  contractValues,
  platformAnnotation,
  realtimeEnv,
  reservedEnvNames,
  reservedEnvPattern,
  serviceEnv,
} from './contract-values.js';
export { addonRealtimePlatformXrd } from './crossplane/realtime-platform.xrd.js';
export { renderIotBrokerXrd, iotBrokerSpecSchema } from './crossplane/iot-broker.xrd.js';
export {
  composeFunction,
  composeInputCrd,
  composeInputSchema,
  functionContractData,
  generatedFunctionFiles,
  lensesWiringValues,
} from './crossplane/compose-function.js';
export { addonDefinitionsDir, addonDir, addonsRoot } from './addon-paths.js';
export {
  packageCharts,
  composedCharts,
  chartsDir,
  type PackageChartsOptions,
} from './chart-repository.js';
export { reservedEnvMessage } from './definitions/realtime-wiring.cue-snippet.js';
