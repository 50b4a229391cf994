import { contractValues } from '../contract-values.js';
import { generatedHeader, indentCue } from './cue-text.js';
import { realtimeParametersCue, realtimeWiringCue } from './realtime-wiring.cue-snippet.js';
import { waitingForPlatformStatusCue } from './workload-status.cue-snippet.js';
import {
  containerSecurityContextCue,
  defaultResources,
  defaultRunAsUser,
  networkPolicyCue,
  networkPolicyParameterCue,
  resourcesCue,
  tmpVolumeName,
} from './workload-hardening.cue-snippet.js';

/** Pod labels the trait adds, which its NetworkPolicy selects (a Job's pods have no labels of their own). */
const traitPodLabels = `{
	"realtime.platform.example.org/app":       context.appName
	"realtime.platform.example.org/component": context.name
}`;

/**
 * definitions/realtime.cue: the `realtime` trait, usable on any component whose workload has a pod
 * template at spec.template (Deployment, StatefulSet, DaemonSet, Job - vela's webservice, worker,
 * statefulset, daemon and task included).
 *
 * Render time (vela dry-run, the controller): the platform name is a valid platform name; when the
 * Application itself declares realtime-platform components, the name must be one of them (a typo
 * fails here, with the declared names in the message); the target container exists; no env of the
 * workload would shadow a platform key. Run time: the five Secrets are mandatory envFrom sources
 * (never `optional`), so a platform that does not exist keeps the pods from starting, and the
 * trait's status says which platform and which Secrets it waits for.
 *
 * It also hardens the pod (workload-hardening.cue-snippet.ts): no service-account token, non-root
 * (the workload's own user, else runAsUser), RuntimeDefault seccomp; the wired container without
 * capabilities or privilege escalation, on a read-only root filesystem with /tmp an emptyDir, with
 * default resources when it declares none; and a NetworkPolicy: the container's ports open,
 * egress only to this namespace and DNS (plus extraEgress). A workload that explicitly asks for
 * the opposite (root, a token) conflicts with the patch: vela refuses it, naming the field.
 */
export function realtimeTraitDefinition(): string {
  return `${generatedHeader}
import (
	"list"
	"strings"
)

realtime: {
	type: "trait"
	annotations: {}
	labels: {}
	description: "Connects any workload to a realtime platform by name: the five {name}-*-secret via envFrom (after the workload's own sources, so no wrong value can win), the topics and the consumer group"
	attributes: {
		podDisruptive: true
		appliesToWorkloads: ["deployments.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "autodetects.core.oam.dev"]
		status: {
			customStatus: #"""
${indentCue(waitingForPlatformStatusCue(), 4)}
				"""#
		}
	}
}
template: {
${indentCue(realtimeWiringCue(), 1)}
	// Never root. An optional parameter with its bound apart from its default: CUE then names the
	// bound a refused value violates (a default disjunction only says "empty disjunction").
	parameter: runAsUser?: >=1
	_runAsUser: *${defaultRunAsUser} | int
	if parameter.runAsUser != _|_ {
		_runAsUser: parameter.runAsUser
	}
	_containerName: *context.name | string
	if parameter.containerName != _|_ {
		_containerName: parameter.containerName
	}
	_containers: context.output.spec.template.spec.containers
	_matches: [for c in _containers if c.name == _containerName {c}]
	_declaredPlatforms: [for c in context.components if c.type == "realtime-platform" && c.properties.name != _|_ {c.properties.name}]

	_target: *{} | {...}
	if len(_matches) > 0 {
		_target: _matches[0]
	}
	_ownEnv: *[] | [...]
	if _target.env != _|_ {
		_ownEnv: _target.env
	}
	_ownEnvFrom: *[] | [...]
	if _target.envFrom != _|_ {
		_ownEnvFrom: _target.envFrom
	}
	_ownMounts: *[] | [...]
	if _target.volumeMounts != _|_ {
		_ownMounts: _target.volumeMounts
	}
	_tmpMounted: len([for m in _ownMounts if m.mountPath == "/tmp" {m}]) > 0
	_declaredPorts: *[] | [...]
	if _target.ports != _|_ {
		_declaredPorts: [for port in _target.ports {port.containerPort}]
	}
	_ports: *_declaredPorts | [...int]
	if parameter.networkPolicy.ports != _|_ {
		_ports: parameter.networkPolicy.ports
	}
	// context is read through a field, never in a top-level if: vela-core's definition webhook
	// compiles the template without context and only forgives a missing context under a field path.
	_podSpec: context.output.spec.template.spec
	_podSecurity: *{} | {...}
	if _podSpec.securityContext != _|_ {
		_podSecurity: _podSpec.securityContext
	}
	_containerSecurity: *{} | {...}
	if _target.securityContext != _|_ {
		_containerSecurity: _target.securityContext
	}
	// What the workload asks for itself (-1, false: it does not say), checked below.
	_users: [for sc in [_podSecurity, _containerSecurity] if sc.runAsUser != _|_ {sc.runAsUser}]
	_privileged: *false | bool
	if _containerSecurity.privileged != _|_ {
		_privileged: _containerSecurity.privileged
	}
	_ownToken: *false | bool
	if _podSpec.automountServiceAccountToken != _|_ {
		_ownToken: _podSpec.automountServiceAccountToken
	}
	_wiring: #RealtimeWiring & {
		platform: parameter.platform
		consumerGroup: *"\\(context.appName)-\\(context.name)" | string
		if parameter.consumerGroup != _|_ {
			consumerGroup: parameter.consumerGroup
		}
		consumerMode: parameter.consumerMode
		topics:       parameter.topics
		ownEnv:       _ownEnv
		ownEnvFrom:   _ownEnvFrom
	}

	errs: list.Concat([
		[if len(_matches) == 0 {"realtime: the workload has no container named \\(_containerName) (its containers: \\(strings.Join([for c in _containers {c.name}], ", "))); set containerName"}],
		[if len(_declaredPlatforms) > 0 && !list.Contains(_declaredPlatforms, parameter.platform) {"realtime: platform \\"\\(parameter.platform)\\" is not declared by this application (its realtime-platform components are named \\(strings.Join(_declaredPlatforms, ", "))); fix the name, or deploy the platform from another application"}],
		_wiring.problems,
		[if list.Contains(_users, 0) {"realtime: the workload runs as root (securityContext.runAsUser: 0); a workload wired to a realtime platform runs as non-root: give it a non-root user, or leave runAsUser unset (the trait's runAsUser applies)"}],
		[if _privileged {"realtime: container \\(_containerName) is privileged (securityContext.privileged: true); a workload wired to a realtime platform runs without privileges or capabilities"}],
		[if _ownToken {"realtime: the workload mounts its service-account token (automountServiceAccountToken: true); a workload wired to a realtime platform gets none: remove it (a workload that needs the Kubernetes API is no realtime client)"}],
	])

	patch: {
		metadata: annotations: _wiring.annotations
		spec: template: {
			metadata: {
				annotations: _wiring.annotations
				labels: ${indentCue(traitPodLabels, 4).trimStart()}
			}
			spec: {
				if !_ownToken {
					automountServiceAccountToken: false
				}
				securityContext: {
					runAsNonRoot: true
					for field in ["runAsUser", "runAsGroup", "fsGroup"] if _podSecurity[field] == _|_ {
						"\\(field)": _runAsUser
					}
					seccompProfile: type: "RuntimeDefault"
				}
				if !_tmpMounted && len(_matches) > 0 {
					// +patchKey=name
					volumes: [{name: "${tmpVolumeName}", emptyDir: {}}]
				}
				// +patchKey=name
				containers: [if len(_matches) > 0 {
					name: _containerName
					// +patchStrategy=replace
					envFrom: _wiring.envFrom
					// +patchStrategy=replace
					env: _wiring.env
					securityContext: ${indentCue(containerSecurityContextCue, 5).trimStart()}
					if _target.resources == _|_ {
						resources: ${indentCue(resourcesCue('parameter.cpu', 'parameter.memory'), 6).trimStart()}
					}
					if !_tmpMounted {
						// The root filesystem is read-only: /tmp is the one writable path.
						// +patchKey=name
						volumeMounts: [{name: "${tmpVolumeName}", mountPath: "/tmp"}]
					}
				}]
			}
		}
	}
	outputs: networkPolicy: ${indentCue(
    networkPolicyCue({
      podLabels: traitPodLabels,
      ports: '_ports',
      wired: 'true',
      parameter: 'parameter.networkPolicy',
    }),
    1,
  ).trimStart()}

	parameter: {
		// +usage=Name of the realtime platform (the realtime-platform component's name property); its secrets are <platform>-{${contractValues.secretSuffixes.map((s) => s.replace(/-secret$/, '')).join(',')}}-secret
		platform: #PlatformName
		// +usage=Container to wire; default the container named like the component
		containerName?: string
		// +usage=User and group id when the workload sets none (default ${defaultRunAsUser}; never 0: the pod always runs as non-root)
		runAsUser?: int
		// +usage=CPU request when the container declares no resources
		cpu: *"${defaultResources.cpu}" | string
		// +usage=Memory request and limit when the container declares no resources
		memory: *"${defaultResources.memory}" | string
${networkPolicyParameterCue(
  '\t\t',
  `// +usage=Ports to open; default the ports the container declares (an undeclared port stays closed)
ports?: [...int & >=1 & <=65535]`,
)}
${realtimeParametersCue('\t\t')}
	}
}
`;
}
