import { contractValues } from '../contract-values.js';
import { generatedHeader, indentCue } from './cue-text.js';
import { realtimeParametersCue, realtimeWiringCue } from './realtime-wiring.cue-snippet.js';
import { waitingForPlatformStatusCue } from './workload-status.cue-snippet.js';

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
	])

	patch: {
		metadata: annotations: _wiring.annotations
		spec: template: {
			metadata: annotations: _wiring.annotations
			spec: {
				// +patchKey=name
				containers: [if len(_matches) > 0 {
					name: _containerName
					// +patchStrategy=replace
					envFrom: _wiring.envFrom
					// +patchStrategy=replace
					env: _wiring.env
				}]
			}
		}
	}

	parameter: {
		// +usage=Name of the realtime platform (the realtime-platform component's name property); its secrets are <platform>-{${contractValues.secretSuffixes.map((s) => s.replace(/-secret$/, '')).join(',')}}-secret
		platform: #PlatformName
		// +usage=Container to wire; default the container named like the component
		containerName?: string
${realtimeParametersCue('\t\t')}
	}
}
`;
}
