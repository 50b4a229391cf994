import { platformAnnotation, reservedEnvPattern, serviceEnv } from '../contract-values.js';
import { cueString, generatedHeader, indentCue } from './cue-text.js';
import { realtimeParametersCue, realtimeWiringCue } from './realtime-wiring.cue-snippet.js';
import { waitingForPlatformStatusCue } from './workload-status.cue-snippet.js';
import {
  containerSecurityContextCue,
  defaultResources,
  defaultRunAsUser,
  networkPolicyCue,
  networkPolicyParameterCue,
  podSecurityContextCue,
  resourcesCue,
  tmpVolumeName,
} from './workload-hardening.cue-snippet.js';

/** The three component flavours built from one template. */
export type RealtimeComponentKind = 'realtime-webservice' | 'webservice' | 'realtime-service';

interface Flavour {
  description: string;
  /** realtime-webservice and realtime-service need a platform; the webservice override does not. */
  realtimeRequired: boolean;
  /** realtime-service: the template service (image default from the addon, probes, /ws). */
  templateService: boolean;
}

const flavours: Record<RealtimeComponentKind, Flavour> = {
  'realtime-webservice': {
    description:
      'A web service wired to a realtime platform by name (realtime: <platform>): the five {name}-*-secret via envFrom, the topics and the consumer group, a Deployment and a Service',
    realtimeRequired: true,
    templateService: false,
  },
  webservice: {
    description:
      'Replaces vela-core webservice (addon option overrideWebservice): a Deployment and a Service, and with realtime: <platform> the realtime integration of realtime-webservice',
    realtimeRequired: false,
    templateService: false,
  },
  'realtime-service': {
    description:
      "The project's realtime template service wired to a platform by name: a live WebSocket feed (/ws) of the platform's topics, without writing code",
    realtimeRequired: true,
    templateService: true,
  },
};

export const workloadStatusAttributes = (kind: RealtimeComponentKind) => ({
  healthPolicy: `_replicas: *1 | int
if context.output.spec.replicas != _|_ {
	_replicas: context.output.spec.replicas
}
_ready: *0 | int
if context.output.status.readyReplicas != _|_ {
	_ready: context.output.status.readyReplicas
}
_updated: *0 | int
if context.output.status.updatedReplicas != _|_ {
	_updated: context.output.status.updatedReplicas
}
isHealth: _ready == _replicas && _updated == _replicas`,
  customStatus:
    kind === 'webservice'
      ? `_annotations: *{} | {...}
if context.output.metadata.annotations != _|_ {
	_annotations: context.output.metadata.annotations
}
_ready: *0 | int
if context.output.status.readyReplicas != _|_ {
	_ready: context.output.status.readyReplicas
}
message: *"Ready:\\(_ready)/\\(context.output.spec.replicas)" | string
if _annotations["${platformAnnotation}"] != _|_ && _ready == 0 {
	_platform: _annotations["${platformAnnotation}"]
	message: "waiting for realtime platform \\(_platform): pods start only once its Secrets \\(_platform)-*-secret exist in this namespace; if they never appear, deploy a realtime-platform component with name: \\(_platform)"
}`
      : waitingForPlatformStatusCue(),
});

const serviceImageDefault = '_addonDefaults.image';
/** An image must name a tag or a digest: an untagged or `latest` image is never reproducible. */
const pinnedImagePattern = '^[^@]+(@sha256:[a-f0-9]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$';

/** The CUE template (the body after `template:`), without imports. */
function templateBody(kind: RealtimeComponentKind): string {
  const flavour = flavours[kind];
  const wired = flavour.realtimeRequired ? 'true' : 'parameter.realtime != _|_';
  const portLine = flavour.templateService
    ? `	// +usage=Port of HTTP and the WebSocket endpoint (the template service's ${serviceEnv.httpPort})
	port: *8080 | int & >=1 & <=65535`
    : `	// +usage=Port the container listens on, exposed by a Service named after the component
	port: *8080 | int & >=1 & <=65535`;
  const imageLine = flavour.templateService
    ? `	// +usage=Image of the template service; default the image the platform engineer set when enabling the addon (serviceImage)
	image: (*${serviceImageDefault} | string) & =~"${pinnedImagePattern}" & !~":latest$"`
    : kind === 'webservice'
      ? // The opt-in override must accept the requirements' user flow as written (it uses :latest).
        `	// +usage=Container image (pin a tag: latest is accepted here only for the requirements' user flow)
	image: string`
      : `	// +usage=Container image with a pinned tag or digest (latest and untagged images are refused)
	image: string & =~"${pinnedImagePattern}" & !~":latest$"`;
  const realtimeLine = flavour.realtimeRequired
    ? `	// +usage=Name of the realtime platform to connect to (the realtime-platform component's name property)
	realtime: #PlatformName`
    : `	// +usage=Name of a realtime platform to connect to (the realtime-platform component's name); unset: a plain web service
	realtime?: #PlatformName`;
  const extraParameters = flavour.templateService
    ? `	// +usage=How the WebSocket endpoint is exposed outside the namespace
	exposeType: *"ClusterIP" | "NodePort" | "LoadBalancer"
	// +usage=Path of the WebSocket endpoint
	wsPath: *"/ws" | =~"^/"
	// +usage=How WebSocket and REST clients authenticate (JWT); the service refuses to start without one of jwtSecretRef (a Secret key holding the HS256 key, at least 32 bytes) or jwksUrl (your identity provider's keys, https), and the issuer and audience its tokens must carry (required off loopback, so a token minted for another service is refused)
	auth?: {
		jwtSecretRef?: {
			name: string
			key:  *${cueString(serviceEnv.wsJwtSecret)} | string
		}
		jwksUrl?:  =~"^https://"
		issuer:   string & !=""
		audience: string & !=""
	}`
    : `	// +usage=Service name in the requirements' flow; recorded as an annotation (the workload is named after the component)
	name?: string
	// +usage=Implementation language (informational, recorded as an annotation)
	language?: string
	// +usage=Framework (informational, recorded as an annotation)
	framework?: string
	// +usage=Command of the container
	cmd?: [...string]
	// +usage=Arguments of the container
	args?: [...string]`;
  const probes = flavour.templateService
    ? `
					readinessProbe: httpGet: {path: "/health/ready", port: "http"}
					livenessProbe: httpGet: {path: "/health/live", port: "http"}`
    : '';
  const commandLines = flavour.templateService
    ? ''
    : `
					if parameter.cmd != _|_ {
						command: parameter.cmd
					}
					if parameter.args != _|_ {
						args: parameter.args
					}`;
  const infoAnnotations = flavour.templateService
    ? ''
    : `
			for key in ["name", "language", "framework"] if parameter[key] != _|_ {
				"realtime.platform.example.org/\\(key)": parameter[key]
			}`;
  const serviceEnvCue = flavour.templateService
    ? `
		[{name: ${cueString(serviceEnv.httpPort)}, value: "\\(parameter.port)"}, {name: ${cueString(serviceEnv.wsPath)}, value: parameter.wsPath}],
		[if parameter.auth != _|_ if parameter.auth.jwtSecretRef != _|_ {name: ${cueString(serviceEnv.wsJwtSecret)}, valueFrom: secretKeyRef: {name: parameter.auth.jwtSecretRef.name, key: parameter.auth.jwtSecretRef.key}}],
		[if parameter.auth != _|_ if parameter.auth.jwksUrl != _|_ {name: ${cueString(serviceEnv.wsJwksUrl)}, value: parameter.auth.jwksUrl}],
		[if parameter.auth != _|_ {name: ${cueString(serviceEnv.wsJwtIssuer)}, value: parameter.auth.issuer}],
		[if parameter.auth != _|_ {name: ${cueString(serviceEnv.wsJwtAudience)}, value: parameter.auth.audience}],`
    : '';
  return `${realtimeWiringCue()}
_wired: ${wired}
_ownEnv: list.Concat([${serviceEnvCue}
	[for k, v in parameter.environment {name: k, value: v}],
	parameter.env,
])
if _wired {
	// A workload wired to a platform may not set env that would shadow the platform.
	parameter: env: [...{name: !~${cueString(reservedEnvPattern)}}]
	parameter: environment: [=~${cueString(reservedEnvPattern)}]: _|_
}
// Declared unconditionally (CUE resolves references lexically); only used when _wired.
_wiring: #RealtimeWiring & {
	if parameter.realtime != _|_ {
		platform: parameter.realtime
	}
	consumerGroup: *"\\(context.appName)-\\(context.name)" | string
	if parameter.consumerGroup != _|_ {
		consumerGroup: parameter.consumerGroup
	}
	consumerMode: parameter.consumerMode
	topics:       parameter.topics
	ownEnv:       _ownEnv
	ownEnvFrom: []
}
// Never root. An optional parameter with its bound apart from its default: CUE then names the
// bound a refused value violates (a default disjunction only says "empty disjunction").
parameter: runAsUser?: >=1
_runAsUser: *${defaultRunAsUser} | int
if parameter.runAsUser != _|_ {
	_runAsUser: parameter.runAsUser
}
_labels: "app.oam.dev/component": context.name
output: {
	apiVersion: "apps/v1"
	kind:       "Deployment"
	metadata: {
		labels: _labels
		annotations: {
			if _wired {
				_wiring.annotations
			}${infoAnnotations}
		}
	}
	spec: {
		replicas: parameter.replicas
		selector: matchLabels: _labels
		template: {
			metadata: {
				labels: _labels
				if _wired {
					annotations: _wiring.annotations
				}
			}
			spec: {
				// Hardened (workload-hardening.cue-snippet.ts): no API token, no root, RuntimeDefault.
				automountServiceAccountToken: false
				securityContext: ${indentCue(podSecurityContextCue('_runAsUser'), 4).trimStart()}
				volumes: [{name: "${tmpVolumeName}", emptyDir: {}}]
				containers: [{
					name:  context.name
					image: parameter.image
					ports: [{name: "http", containerPort: parameter.port}]${commandLines}
					if _wired {
						envFrom: _wiring.envFrom
						env:     _wiring.env
					}
					if !_wired && len(_ownEnv) > 0 {
						env: _ownEnv
					}${probes}
					resources: ${indentCue(resourcesCue('parameter.cpu', 'parameter.memory'), 5).trimStart()}
					securityContext: ${indentCue(containerSecurityContextCue, 5).trimStart()}
					// The root filesystem is read-only: /tmp is the one writable path.
					volumeMounts: [{name: "${tmpVolumeName}", mountPath: "/tmp"}]
				}]
			}
		}
	}
}
outputs: networkPolicy: ${networkPolicyCue({
    podLabels: '_labels',
    ports: '[parameter.port]',
    wired: '_wired',
    parameter: 'parameter.networkPolicy',
    ownEgress: flavour.templateService
      ? // The identity provider's keys (https) are outside the cluster.
        '[if parameter.auth != _|_ if parameter.auth.jwksUrl != _|_ {ports: [{protocol: "TCP", port: 443}]}]'
      : undefined,
  }).trimStart()}
outputs: service: {
	apiVersion: "v1"
	kind:       "Service"
	metadata: {
		name:   context.name
		labels: _labels
	}
	spec: {
		${flavour.templateService ? 'type: parameter.exposeType' : 'type: "ClusterIP"'}
		selector: _labels
		ports: [{name: "http", port: parameter.port, targetPort: "http"}]
	}
}
parameter: {
${realtimeLine}
${imageLine}
${extraParameters}
${portLine}
	// +usage=Replicas of the Deployment
	replicas: *1 | int & >=0
	// +usage=Env vars as a list of {name, value | valueFrom}
	env: *[] | [...{
		name: string
		value?: string
		valueFrom?: {...}
	}]
	// +usage=Env vars as a map (the requirements' environment); listed before env
	environment: *{} | {[string]: string}
	// +usage=CPU request, e.g. 250m
	cpu: *"${defaultResources.cpu}" | string
	// +usage=Memory request and limit, e.g. 512Mi
	memory: *"${defaultResources.memory}" | string
	// +usage=User and group id the container runs as (default ${defaultRunAsUser}); never 0 (the pod runs as non-root, read-only root filesystem, no capabilities)
	runAsUser?: int
${networkPolicyParameterCue('\t')}
${realtimeParametersCue('\t')}
}`;
}

const imports = `import (
	"list"
	"strings"
)`;

/** definitions/<kind>.cue (realtime-webservice): the definition file `vela def vet` reads. */
export function realtimeComponentDefinitionFile(kind: RealtimeComponentKind): string {
  const status = workloadStatusAttributes(kind);
  return `${generatedHeader}
${imports}

${cueString(kind)}: {
	type: "component"
	annotations: {}
	labels: {}
	description: ${cueString(flavours[kind].description)}
	attributes: {
		workload: {
			definition: {
				apiVersion: "apps/v1"
				kind:       "Deployment"
			}
			type: "deployments.apps"
		}
		status: {
			healthPolicy: #"""
${indentCue(status.healthPolicy, 4)}
				"""#
			customStatus: #"""
${indentCue(status.customStatus, 4)}
				"""#
		}
	}
}
template: {
${indentCue(templateBody(kind), 1)}
}
`;
}

/** The identifier the resources file defines, e.g. `realtimeServiceDefinition`. */
export function resourceDefinitionIdentifier(kind: RealtimeComponentKind): string {
  return kind === 'webservice' ? 'webserviceOverrideDefinition' : 'realtimeServiceDefinition';
}

/**
 * resources/definitions/<kind>.cue (package main): a ComponentDefinition object that template.cue
 * installs - conditionally (the webservice override) or with addon parameters in its template
 * (realtime-service's image default).
 */
export function realtimeComponentDefinitionResource(kind: RealtimeComponentKind): string {
  const status = workloadStatusAttributes(kind);
  const id = resourceDefinitionIdentifier(kind);
  const defaults = flavours[kind].templateService
    ? `"\\n_addonDefaults: image: \\"\\(parameter.serviceImage.repository):\\(_checkedParameter.serviceImage.tag)\\"\\n"`
    : `"\\n"`;
  return `${generatedHeader}
package main

${id}: {
	apiVersion: "core.oam.dev/v1beta1"
	kind:       "ComponentDefinition"
	metadata: {
		name: ${cueString(kind)}
		annotations: "definition.oam.dev/description": ${cueString(flavours[kind].description)}
	}
	spec: {
		workload: {
			definition: {
				apiVersion: "apps/v1"
				kind:       "Deployment"
			}
			type: "deployments.apps"
		}
		status: {
			healthPolicy: #"""
${indentCue(status.healthPolicy, 4)}
				"""#
			customStatus: #"""
${indentCue(status.customStatus, 4)}
				"""#
		}
		schematic: cue: template: _${id}Imports + ${defaults} + _${id}Body
	}
}

_${id}Imports: #"""
${indentCue(imports, 1)}
	"""#

_${id}Body: #"""
${indentCue(templateBody(kind), 1)}
	"""#
`;
}
