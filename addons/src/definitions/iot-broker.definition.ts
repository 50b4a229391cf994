import { claimSpecSchema, secretName } from '@realtime-platform/platform-contract';
import { addonNames, contractValues } from '../contract-values.js';
import { iotBrokerSpecSchema } from '../crossplane/iot-broker.xrd.js';
import { generatedHeader } from './cue-text.js';

/**
 * definitions/iot-broker.cue: Mosquitto alone, as an IotBrokerClaim (the iot-broker chart installed by
 * the addon's iot-broker Composition). A claim rather than a provider-helm Release in the app:
 * Releases are cluster-scoped and install any chart into any namespace with provider-helm's
 * identity, so letting every application create them would hand each tenant that power; the chart
 * repository and version also stay with the platform engineer (addon parameters).
 */
export function iotBrokerDefinition(): string {
  const users = claimSpecSchema.properties.mqttUsers;
  const ref = users.items.properties.passwordSecretRef;
  const persistence = iotBrokerSpecSchema.properties.persistence.properties;
  return `${generatedHeader}
import "strings"

"iot-broker": {
	type: "component"
	annotations: {}
	labels: {}
	description: "Eclipse Mosquitto MQTT broker alone (authentication, WebSockets, persistence) and its ${secretName('{name}', 'mqtt')}: a Crossplane ${addonNames.iotBrokerKind} named <name>${addonNames.iotBrokerClaimSuffix}"
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
				isHealth: _ready
				"""#
			customStatus: #"""
				_status: *{} | {...}
				if context.output.status != _|_ {
					_status: context.output.status
				}
				_message: *"waiting for Crossplane to compose the claim" | string
				if _status.message != _|_ {
					_message: _status.message
				}
				_ws: *"-" | string
				if _status.endpoints != _|_ && _status.endpoints.mqttWebSocket != _|_ {
					_ws: _status.endpoints.mqttWebSocket
				}
				message: *"Provisioning: \\(_message)" | string
				if _status.ready != _|_ && _status.ready {
					message: "Ready. Secret: \\(context.output.spec.name)-mqtt-secret. MQTT over WebSockets: \\(_ws)"
				}
				"""#
		}
	}
}
template: {
	output: {
		apiVersion: "${contractValues.claimApiVersion}"
		kind:       "${addonNames.iotBrokerKind}"
		metadata: name: parameter.name + "${addonNames.iotBrokerClaimSuffix}"
		spec: {
			name:        parameter.name
			persistence: parameter.persistence
			if parameter.mqttUsers != _|_ {
				mqttUsers: parameter.mqttUsers
			}
		}
	}
	parameter: {
		// +usage=${iotBrokerSpecSchema.properties.name.description}
		name: string & =~${JSON.stringify(contractValues.platformNamePattern)} & strings.MaxRunes(${contractValues.maxPlatformNameLength})
		// +usage=${users.description}
		mqttUsers?: [...{
			// +usage=${users.items.properties.username.description}
			username: string & =~${JSON.stringify(users.items.properties.username.pattern)}
			// +usage=${ref.description}
			passwordSecretRef: {
				// +usage=${ref.properties.name.description}
				name: string & =~${JSON.stringify(ref.properties.name.pattern)} & strings.MaxRunes(${ref.properties.name.maxLength})
				// +usage=${ref.properties.key.description}
				key: string & =~${JSON.stringify(ref.properties.key.pattern)} & strings.MaxRunes(${ref.properties.key.maxLength})
			}
			// +usage=${users.items.properties.password.description}
			password?: string
		}]
		// +usage=${iotBrokerSpecSchema.properties.persistence.description}
		persistence: {
			// +usage=${persistence.enabled.description}
			enabled: *true | bool
			// +usage=${persistence.size.description}
			size: *${JSON.stringify(persistence.size.default)} | =~${JSON.stringify(persistence.size.pattern)}
		}
	}
}
`;
}
