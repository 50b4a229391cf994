import {
  contractValues,
  platformAnnotation,
  realtimeEnv,
  reservedEnvNames,
  reservedEnvPattern,
} from '../contract-values.js';

const q = (value: string): string => JSON.stringify(value);
const list = (values: readonly string[]): string => `[${values.map(q).join(', ')}]`;

/**
 * Why an env name is refused on a workload wired to a platform. The definitions print it with CUE
 * interpolations (`\(e.name)`); `rtp validate` with the real name when it explains vela's error.
 */
export function reservedEnvMessage(name: string, platform: string): string {
  return `env ${name} is reserved: the realtime platform ${platform} provides it (keys of its secrets start with ${contractValues.secretPrefixes.join(', ')}; ${reservedEnvNames.join(', ')} come from the realtime properties), and an explicit env would override it`;
}

/**
 * The realtime integration every realtime definition shares (the trait, realtime-webservice, the
 * webservice override and realtime-service). CUE definitions cannot import local packages, so the
 * generator prints this same block into each of them.
 *
 * envFrom order: the workload's own sources first, the five platform secrets last, in contract
 * order. The last source wins in Kubernetes, so nothing a workload loads can shadow a platform
 * value; the platform secrets cannot shadow each other (disjoint prefixes); explicit `env` beats
 * every envFrom, so env names with a platform prefix or that the integration sets (`RTP_*`) are
 * refused (see `problems`).
 */
export function realtimeWiringCue(): string {
  return `// The realtime integration (generated from the platform contract; same block in every
// realtime definition). Inputs: platform, consumerGroup, consumerMode, topics, and the
// container's own env and envFrom. Outputs: envFrom, env, problems.
#RealtimeWiring: {
	platform:      string
	consumerGroup: string
	consumerMode:  "broadcast" | "shared"
	topics: [...string]
	ownEnv: [...{name: string, ...}]
	ownEnvFrom: [...{...}]

	secretNames: [for suffix in ${list(contractValues.secretSuffixes)} {platform + "-" + suffix}]
	_reserved: ${q(reservedEnvPattern)}
	// The workload's own sources, minus any copy of the platform secrets, keep their order.
	_kept: [for source in ownEnvFrom
		let ref = *source.secretRef.name | ""
		if !list.Contains(secretNames, ref) {source}]
	envFrom: list.Concat([_kept, [for secret in secretNames {secretRef: name: secret}]])
	env: list.Concat([ownEnv, [
		{name: ${q(realtimeEnv.platform)}, value: platform},
		{name: ${q(realtimeEnv.topics)}, value: strings.Join(topics, ",")},
		{name: ${q(realtimeEnv.alertsTopic)}, value: ${q(contractValues.alertsTopic)}},
		{name: ${q(realtimeEnv.consumerGroup)}, value: consumerGroup},
		{name: ${q(realtimeEnv.consumerMode)}, value: consumerMode},
		{name: ${q(realtimeEnv.instanceId)}, valueFrom: fieldRef: fieldPath: "metadata.name"},
	]])
	problems: [for e in ownEnv if e.name =~ _reserved {
		"${reservedEnvMessage('\\(e.name)', '\\(platform)')}"
	}]
	annotations: ${q(platformAnnotation)}: platform
}

#PlatformName: string & =~${q(contractValues.platformNamePattern)} & strings.MaxRunes(${contractValues.maxPlatformNameLength})
`;
}

/** The parameters every realtime definition takes besides the platform name. */
export function realtimeParametersCue(indent: string): string {
  return [
    `// +usage=Kafka consumer group; default <app>-<component>. In broadcast mode every replica adds its pod name (${realtimeEnv.instanceId}), so each replica sees every record`,
    `consumerGroup?: string & =~"^[a-zA-Z0-9._-]+$"`,
    `// +usage=broadcast (WebSocket gateways: every replica gets all records) or shared (work-sharing group: records are split between replicas)`,
    `consumerMode: *"broadcast" | "shared"`,
    `// +usage=Topics to consume, comma-joined into ${realtimeEnv.topics}; default the four vital-sign topics`,
    `topics: *${list(contractValues.defaultConsumedTopics)} | [...string & =~"^[a-zA-Z0-9][a-zA-Z0-9._-]*$"]`,
  ]
    .map((line) => `${indent}${line}`)
    .join('\n');
}
