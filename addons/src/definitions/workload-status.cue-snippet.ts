import { contractValues, platformAnnotation } from '../contract-values.js';

const secretsText = `{${contractValues.secretSuffixes.map((s) => s.replace(/-secret$/, '')).join(',')}}-secret`;

/**
 * A status message (customStatus body) for a workload wired to a platform: which platform, and -
 * while no replica is available - what it waits for and what to do when the platform does not exist.
 * It reads the platform from the workload's annotation, which the integration sets.
 */
export function waitingForPlatformStatusCue(): string {
  return `_annotations: *{} | {...}
if context.output.metadata.annotations != _|_ {
	_annotations: context.output.metadata.annotations
}
_platform: *"(none)" | string
if _annotations["${platformAnnotation}"] != _|_ {
	_platform: _annotations["${platformAnnotation}"]
}
_available: *0 | int
if context.output.status.availableReplicas != _|_ {
	_available: context.output.status.availableReplicas
}
if context.output.status.succeeded != _|_ {
	_available: context.output.status.succeeded
}
message: *"connected to realtime platform \\(_platform)" | string
if _available == 0 {
	message: "waiting for realtime platform \\(_platform): pods start only once the Secrets \\(_platform)-${secretsText} exist in this namespace. If they never appear, no realtime-platform named \\(_platform) exists here: deploy a realtime-platform component with name: \\(_platform) (claim \\(_platform)-realtime)"
}`;
}
