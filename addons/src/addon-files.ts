import { goToolsManifest } from '@realtime-platform/toolchain';
import { addonNames } from './contract-values.js';
import { compositionsResource } from './crossplane/compositions.js';
import { renderIotBrokerXrd } from './crossplane/iot-broker.xrd.js';
import { addonRealtimePlatformXrd } from './crossplane/realtime-platform.xrd.js';
import { generatedHeader } from './definitions/cue-text.js';
import { iotBrokerDefinition } from './definitions/iot-broker.definition.js';
import {
  realtimeComponentDefinitionFile,
  realtimeComponentDefinitionResource,
} from './definitions/realtime-components.definition.js';
import { realtimePlatformDefinition } from './definitions/realtime-platform.definition.js';
import { realtimeTraitDefinition } from './definitions/realtime-trait.definition.js';

/** A CUE value from JSON (JSON is CUE), tab-indented like `cue fmt`. */
const cueValue = (value: unknown): string => JSON.stringify(value, null, '\t');

/** Crossplane Function packages at the versions the toolchain builds for `crossplane render`. */
export function functionPackages(): { name: string; package: string }[] {
  const { tools } = goToolsManifest;
  return [
    {
      name: addonNames.functionGoTemplating,
      package: `xpkg.crossplane.io/crossplane-contrib/function-go-templating:${tools['function-go-templating'].version}`,
    },
    {
      name: addonNames.functionAutoReady,
      package: `xpkg.crossplane.io/crossplane-contrib/function-auto-ready:${tools['function-auto-ready'].version}`,
    },
  ];
}

function functionsResource(): string {
  const functions = functionPackages().map((fn) => ({
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: { name: fn.name },
    spec: { package: fn.package },
  }));
  return `${generatedHeader}
package main

// The composition functions, at the versions tools/toolchain/go-tools/go-tools.json builds for
// the render tests: what is tested is what is installed.
functions: ${cueValue(functions)}
`;
}

function xrdsResource(): string {
  return `${generatedHeader}
package main

// The realtime-platform XRD is the platform contract's renderXrd() plus defaultCompositionRef.
platformXrd: ${cueValue(addonRealtimePlatformXrd())}

iotBrokerXrd: ${cueValue(renderIotBrokerXrd())}
`;
}

/** Every generated file of the addon, by path relative to addons/realtime-platform. */
export function generatedAddonFiles(): Record<string, string> {
  return {
    'definitions/realtime-platform.cue': realtimePlatformDefinition(),
    'definitions/iot-broker.cue': iotBrokerDefinition(),
    'definitions/realtime.cue': realtimeTraitDefinition(),
    'definitions/realtime-webservice.cue': realtimeComponentDefinitionFile('realtime-webservice'),
    'resources/definitions/realtime-service.cue':
      realtimeComponentDefinitionResource('realtime-service'),
    'resources/definitions/webservice-override.cue':
      realtimeComponentDefinitionResource('webservice'),
    'resources/crds/xrds.cue': xrdsResource(),
    'resources/crossplane/compositions.cue': compositionsResource(generatedHeader),
    'resources/crossplane/functions.cue': functionsResource(),
  };
}
