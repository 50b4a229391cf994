export { LocalCluster, type CrossplaneOptions, type LocalClusterOptions } from './local-cluster.js';
export { localClusterErrors } from './local-cluster-errors.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export {
  KubeApi,
  type KubeList,
  type KubeObject,
  type KubeApiCredentials,
} from './kube/kube-api.js';
export { Kubectl, type CommandResult } from './kube/kubectl.js';
export { writeKubeconfig } from './kube/kubeconfig.js';
export { kwokNodeName, kwokStages } from './nodes/kwok-node.js';
export { configReadyAnnotation, requiredReferences } from './nodes/pod-config-gate.js';
export { storageClassName } from './storage/volume-pool.js';
export { velaSystemNamespace } from './kubevela/vela-core.js';
export { crossplaneNamespace, packageRuntime } from './crossplane/crossplane-core.js';
export { type ExternalFunction } from './crossplane/function-runtime.js';
export { type HostedProvider } from './crossplane/provider-runtime.js';
export { buildXpkg, splitReference, type MirroredPackage } from './packages/crossplane-packages.js';
export { ChartRepositoryServer } from './packages/chart-repository-server.js';
export {
  PodSandbox,
  type PodSandboxOptions,
  type ServiceAccountMount,
} from './pod-sandbox/pod-sandbox.js';
export { CertificateAuthority } from './pki/openssl.js';
