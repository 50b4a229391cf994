export { cacheDir } from './cache-dir.js';
export { Buildah, buildahScriptPath, buildahStorageArgs, type ImageConfig } from './buildah.js';
export {
  Helm,
  type HelmResult,
  type HelmTemplateOptions,
  type HelmValuesOptions,
  type KubernetesObject,
} from './helm.js';
export { kubernetesObjectProblems, kubernetesProblems } from './kubernetes-schema.js';
export { kafkaDistribution, type KafkaDistribution } from './kafka-distribution.js';
export {
  jmxExporterDistribution,
  type JmxExporterDistribution,
} from './jmx-exporter-distribution.js';
export {
  schemaRegistryDistribution,
  schemaRegistryInstallScriptPath,
  schemaRegistryManifest,
  type SchemaRegistryDistribution,
  type SchemaRegistryManifest,
} from './schema-registry-distribution.js';
export {
  findExecutable,
  mosquittoBinary,
  mosquittoPasswdBinary,
  prometheusBinary,
  promtoolBinary,
  opensslBinary,
  postgresBinDir,
  mariadbBinaries,
} from './system-binaries.js';
export { toolchainErrors } from './toolchain-errors.js';
export {
  installScriptPath,
  toolchainManifest,
  type ToolchainManifest,
} from './toolchain-manifest.js';
export {
  GoTool,
  clusterToolsSetupHint,
  goModuleToolSpec,
  goToolBinaryNames,
  goToolModulePath,
  goToolDir,
  goToolBuildError,
  goLocalToolSource,
  goLocalToolVersion,
  goToolVersion,
  sourceTreeVersion,
  goToolsManifest,
  goToolsInstallScriptPath,
  velaBuiltinDefinitionsDir,
  type GoToolName,
  type GoModuleToolName,
  type GoClusterToolName,
  type GoLocalToolName,
  type GoLocalToolSpec,
  type GoToolResult,
  type GoToolRunOptions,
  type GoToolSpec,
} from './go-tools.js';
