import { indentCue } from './cue-text.js';

/**
 * The hardening every workload our definitions create or wire gets (realtime-webservice,
 * realtime-service, the webservice override, and any workload the `realtime` trait wires): no
 * root, a read-only root filesystem with an emptyDir at /tmp, no capabilities, no privilege
 * escalation, the runtime's default seccomp profile, no service-account token, resources, and a
 * NetworkPolicy. Printed into each definition (CUE definitions cannot import local packages).
 */

/** The user and group a workload runs as unless told otherwise: the images' non-root 65532. */
export const defaultRunAsUser = 65532;
/** Requests (and the memory limit) a workload gets unless told otherwise. */
export const defaultResources = { cpu: '100m', memory: '256Mi' } as const;
/** The emptyDir mounted at /tmp, the one writable path on a read-only root filesystem. */
export const tmpVolumeName = 'rtp-tmp';
/**
 * The pod label a workload wired by the `realtime` trait gets (`<app>-<component>`), which its
 * NetworkPolicy selects: the trait cannot rely on the workload's own labels (a Job has none).
 */
export const workloadLabel = 'realtime.platform.example.org/workload';

/** The container securityContext (every field fixed: none of them is a knob). */
export const containerSecurityContextCue = `{
	allowPrivilegeEscalation: false
	readOnlyRootFilesystem:   true
	runAsNonRoot:             true
	capabilities: drop: ["ALL"]
	seccompProfile: type: "RuntimeDefault"
}`;

/** The pod securityContext; `runAsUser` is a CUE expression (a parameter). */
export function podSecurityContextCue(runAsUser: string): string {
  return `{
	runAsNonRoot: true
	runAsUser:    ${runAsUser}
	runAsGroup:   ${runAsUser}
	fsGroup:      ${runAsUser}
	seccompProfile: type: "RuntimeDefault"
}`;
}

/** The resources block from `cpu`/`memory` CUE expressions (requests; a memory limit, no CPU limit). */
export function resourcesCue(cpu: string, memory: string): string {
  return `{
	requests: {cpu: ${cpu}, memory: ${memory}}
	limits: memory: ${memory}
}`;
}

export interface NetworkPolicyCueOptions {
  /** CUE expression: the pod labels to select. */
  readonly podLabels: string;
  /** CUE expression: the list of TCP ports to open. */
  readonly ports: string;
  /** CUE expression: true when the workload is wired to a platform (egress is then restricted). */
  readonly wired: string;
  /** CUE expression: the `networkPolicy` parameter ({ingressFrom?, extraEgress}). */
  readonly parameter: string;
  /** CUE expression: egress rules added by the definition itself (e.g. the JWKS endpoint). */
  readonly ownEgress?: string;
}

/**
 * The NetworkPolicy (as a CUE value; the caller names it): ingress only on the workload's ports
 * (from `ingressFrom` peers, default anyone: these are services); wired to a platform, egress only
 * to pods of this namespace (the platform's Services live beside the workload) and DNS, plus
 * `extraEgress`. A workload not wired to a platform keeps its egress open (nothing says where it
 * talks to).
 */
export function networkPolicyCue(options: NetworkPolicyCueOptions): string {
  const own = options.ownEgress ?? '[]';
  const egress = `policyTypes: ["Ingress", "Egress"]
egress: list.Concat([[
	{to: [{podSelector: {}}]},
	{ports: [{protocol: "UDP", port: 53}, {protocol: "TCP", port: 53}]},
], ${own}, ${options.parameter}.extraEgress])`;
  const policyTypes =
    options.wired === 'true'
      ? indentCue(egress, 2)
      : `\t\tif ${options.wired} {
${indentCue(egress, 3)}
		}
		if !${options.wired} {
			policyTypes: ["Ingress"]
		}`;
  return `{
	apiVersion: "networking.k8s.io/v1"
	kind:       "NetworkPolicy"
	metadata: name: context.name
	spec: {
		podSelector: matchLabels: ${indentCue(options.podLabels, 2).trimStart()}
${policyTypes}
		_openPorts: ${options.ports}
		if len(_openPorts) == 0 {
			ingress: []
		}
		if len(_openPorts) > 0 {
			ingress: [{
				ports: [for p in _openPorts {protocol: "TCP", port: p}]
				if ${options.parameter}.ingressFrom != _|_ {
					from: ${options.parameter}.ingressFrom
				}
			}]
		}
	}
}`;
}

/** The `networkPolicy` parameter block (with `+usage` lines), indented by `indent`. */
export function networkPolicyParameterCue(indent: string, extra = ''): string {
  return [
    `// +usage=The workload's NetworkPolicy: its port(s) open to ingressFrom (default anyone); wired to a platform, egress only to this namespace's pods (the platform) and DNS, plus extraEgress`,
    `networkPolicy: {`,
    `\t// +usage=Who may connect (NetworkPolicy from peers, e.g. a namespaceSelector of the ingress controller); default anyone`,
    `\tingressFrom?: [...{...}]`,
    `\t// +usage=Further egress rules ({to, ports}) for a wired workload, e.g. a database outside the namespace`,
    `\textraEgress: *[] | [...{...}]`,
    ...(extra ? extra.split('\n').map((line) => `\t${line}`) : []),
    `}`,
  ]
    .map((line) => `${indent}${line}`)
    .join('\n');
}
