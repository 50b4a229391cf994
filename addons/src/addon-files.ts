import { composeFunction, generatedFunctionFiles } from './crossplane/compose-function.js';
import { functionExampleFiles } from './crossplane/function-example.js';
import { functionPackages } from './crossplane/function-packages.js';
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

function functionsResource(): string {
  const [compose, autoReady] = functionPackages() as [
    { name: string; package: string },
    { name: string; package: string },
  ];
  return `${generatedHeader}
package main

// The composition functions: this project's own (built from addons/functions/compose-platform; its
// package is an addon parameter), and function-auto-ready at the version
// tools/toolchain/go-tools/go-tools.json builds for the render tests: what is tested is installed.
functions: [{
\tapiVersion: "pkg.crossplane.io/v1"
\tkind:       "Function"
\tmetadata: name: "${compose.name}"
\tspec: package:  parameter.composeFunctionPackage
}, {
\tapiVersion: "pkg.crossplane.io/v1"
\tkind:       "Function"
\tmetadata: name: "${autoReady.name}"
\tspec: package:  "${autoReady.package}"
}]
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

/**
 * Every generated file, by path relative to addons/: the addon's (realtime-platform/...) and the
 * composition function's data and example (functions/compose-platform/...).
 */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, content] of Object.entries(generatedAddonFiles())) {
    files[`realtime-platform/${path}`] = content;
  }
  for (const [path, content] of Object.entries({
    ...generatedFunctionFiles(),
    ...functionExampleFiles(),
  })) {
    files[`${composeFunction.dir}/${path}`] = content;
  }
  return files;
}
