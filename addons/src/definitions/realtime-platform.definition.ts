import {
  claimApi,
  renderCueClaimSpec,
  renderCueImports,
  renderCueParameter,
} from '@realtime-platform/contract-generators';
import {
  claimResourceSuffix,
  secretCatalog,
  statusEndpointFields,
} from '@realtime-platform/platform-contract';
import { contractValues } from '../contract-values.js';
import { generatedHeader, indentCue } from './cue-text.js';

/**
 * definitions/realtime-platform.cue: the requirements' ComponentDefinition. Its `parameter` block
 * and the claim `spec` come verbatim from the contract generators; the rest is the status wiring.
 */
export function realtimePlatformDefinition(): string {
  const parameter = renderCueParameter();
  const spec = renderCueClaimSpec();
  const endpointFields = Object.keys(statusEndpointFields);
  const endpointDefaults = endpointFields
    .map((field) =>
      [
        `_${field}: *"-" | string`,
        `if _endpoints.${field} != _|_ {`,
        `\t_${field}: _endpoints.${field}`,
        `}`,
      ]
        .map((line) => `\t\t\t\t${line}`)
        .join('\n'),
    )
    .join('\n');
  const endpointText = endpointFields.map((field) => `${field}=\\(_${field})`).join(', ');
  const secretList = secretCatalog
    .map((s) => `\\(context.output.spec.name)-${s.suffix}`)
    .join(', ');
  return `${generatedHeader}
${renderCueImports(parameter, spec)}
"realtime-platform": {
	type: "component"
	annotations: {}
	labels: {}
	description: "Complete real-time streaming platform with IoT, analytics, and stream processing: a Crossplane ${claimApi.kind} named <name>${claimResourceSuffix}"
	attributes: {
		// Autodetected from the output: vela-core's admission webhook resolves a declared workload
		// kind through the API server, and the claim's CRD does not exist yet when vela addon enable
		// applies the definitions (the XRDs come with the addon Application): "no matches for kind".
		workload: type: "autodetects.core.oam.dev"
		status: {
			healthPolicy: #"""
				_ready: *false | bool
				if context.output.status.ready != _|_ {
					_ready: context.output.status.ready
				}
				_conditions: *[] | [...]
				if context.output.status.conditions != _|_ {
					_conditions: context.output.status.conditions
				}
				_readyConditions: [for c in _conditions if c.type == "Ready" && c.status == "True" {c}]
				isHealth: _ready && len(_readyConditions) > 0
				"""#
			customStatus: #"""
				_status: *{} | {...}
				if context.output.status != _|_ {
					_status: context.output.status
				}
				_ready: *false | bool
				if _status.ready != _|_ {
					_ready: _status.ready
				}
				_endpoints: *{} | {...}
				if _status.endpoints != _|_ {
					_endpoints: _status.endpoints
				}
${endpointDefaults}
				_waiting: *"waiting for Crossplane to compose the claim" | string
				if _status.message != _|_ {
					_waiting: _status.message
				}
				message: *"Provisioning: \\(_waiting)" | string
				if _ready {
					message: "Ready. Secrets: ${secretList}. Endpoints: ${endpointText}"
				}
				"""#
		}
	}
}
template: {
	output: {
		apiVersion: "${contractValues.claimApiVersion}"
		kind:       "${claimApi.kind}"
		metadata: name: parameter.name + "${claimResourceSuffix}"
${indentCue(spec.text.trimEnd(), 2)}
	}
${indentCue(parameter.text.trimEnd(), 1)}
}
`;
}
