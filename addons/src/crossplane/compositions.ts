import { claimApi } from '@realtime-platform/contract-generators';
import { addonNames } from '../contract-values.js';
import { composeFunction } from './compose-function.js';

/** The pipeline steps of both Compositions (the function's example Composition has the same). */
export const compositionSteps = {
  compose: 'release-connection-and-status',
  autoReady: 'ready-when-composed-resources-are',
} as const;

/**
 * The input of function-compose-platform in a Composition, as CUE: the chart and the provider-helm
 * settings come from the addon parameters (`parameter.*` references, resolved by vela addon enable).
 */
function composeInput(chart: string, withLenses: boolean): string {
  const { group, version, kind } = composeFunction.input;
  const lenses = withLenses
    ? `
	lenses: {
		acceptEULA:    parameter.lenses.acceptEULA
		licenseSecret: parameter.lenses.licenseSecret
	}`
    : '';
  return `{
	apiVersion: "${group}/${version}"
	kind:       "${kind}"
	release: {
		chart: {
			name:       "${chart}"
			repository: _checkedParameter.chartRepository
			version:    parameter.chartVersion
		}
		waitTimeout:        parameter.releaseWaitTimeout
		rollbackLimit:      _checkedParameter.releaseRollbackLimit
		providerConfigName: "${addonNames.providerConfig}"
	}
	clusterDomain: parameter.clusterDomain${lenses}
}`;
}

function composition(
  id: string,
  name: string,
  compositeKind: string,
  input: string,
  description: string,
): string {
  const indentedInput = input
    .split('\n')
    .map((line, index) => (index === 0 || line.length === 0 ? line : `\t\t\t${line}`))
    .join('\n');
  return `${id}: {
	apiVersion: "apiextensions.crossplane.io/v1"
	kind:       "Composition"
	metadata: {
		name: "${name}"
		annotations: "realtime.platform.example.org/description": ${JSON.stringify(description)}
	}
	spec: {
		compositeTypeRef: {
			apiVersion: "${claimApi.group}/${claimApi.version}"
			kind:       "${compositeKind}"
		}
		mode: "Pipeline"
		pipeline: [{
			// This project's function (addons/functions/compose-platform): the Release, its
			// connection details and the status, from the composite and the platform contract.
			step: "${compositionSteps.compose}"
			functionRef: name: "${composeFunction.name}"
			input: ${indentedInput}
		}, {
			// Last: the composite is Ready when every composed resource is.
			step: "${compositionSteps.autoReady}"
			functionRef: name: "${addonNames.functionAutoReady}"
		}]
	}
}`;
}

export function compositionsResource(header: string): string {
  return `${header}
package main

${composition('platformComposition', addonNames.platformComposition, claimApi.compositeKind, composeInput(addonNames.platformChart, true), 'A RealtimePlatformClaim: the realtime-platform chart as a provider-helm Release, whose connection details (the five secrets, keys of the platform contract) provider-helm writes to {name}-realtime-connection, and the status.')}

${composition('iotBrokerComposition', addonNames.iotBrokerComposition, addonNames.iotBrokerCompositeKind, composeInput(addonNames.iotBrokerChart, false), 'An IotBrokerClaim: the iot-broker chart as a provider-helm Release, whose connection details ({name}-mqtt-secret) provider-helm writes to {name}-iot-connection, and the status.')}
`;
}
