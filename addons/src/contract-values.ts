import { claimApi } from '@realtime-platform/contract-generators';
import {
  alertsTopic,
  maxPlatformNameLength,
  platformNamePattern,
  runtimeEnv,
  runtimeEnvSetBy,
  secretCatalog,
  vitalTopics,
} from '@realtime-platform/platform-contract';

/**
 * What the definitions and compositions take from the platform contract, in the form the
 * generators print. Nothing here is decided by the addon: change the contract instead.
 */
export const contractValues = {
  claimApiVersion: `${claimApi.group}/${claimApi.version}`,
  /** `{name}-mqtt-secret`, … in `envFrom` order (the contract's `secretEnvFrom` order). */
  secretSuffixes: secretCatalog.map((secret) => secret.suffix),
  /** Every key of the five secrets starts with one of these (they never collide). */
  secretPrefixes: secretCatalog.map((secret) => secret.prefix),
  platformNamePattern,
  maxPlatformNameLength,
  /** What a realtime consumer reads by default: the vital-sign topics. */
  defaultConsumedTopics: [...vitalTopics],
  alertsTopic,
} as const;

/**
 * The env vars the realtime integration sets besides the five secrets: the platform contract's
 * `RTP_*` runtime names (its `runtimeEnvCatalog`, `setBy: trait`), which the SDK reads. No platform
 * secret key starts with `RTP_`, so a secret can never shadow one.
 */
export const realtimeEnv = {
  platform: runtimeEnv.platformName,
  topics: runtimeEnv.topics,
  alertsTopic: runtimeEnv.alertsTopic,
  consumerGroup: runtimeEnv.consumerGroup,
  consumerMode: runtimeEnv.consumerMode,
  instanceId: runtimeEnv.instanceId,
} as const;

/** What the realtime-service component sets for its template service. */
export const serviceEnv = {
  httpPort: runtimeEnv.httpPort,
  wsPath: runtimeEnv.wsPath,
  wsJwtSecret: runtimeEnv.wsJwtSecret,
  wsJwksUrl: runtimeEnv.wsJwksUrl,
  wsJwtIssuer: runtimeEnv.wsJwtIssuer,
  wsJwtAudience: runtimeEnv.wsJwtAudience,
} as const;

/**
 * Env names a workload may not set itself when it is wired to a platform: anything with a secret
 * prefix, and exactly the `RTP_*` names the integration sets (other `RTP_*` settings of the SDK,
 * such as `RTP_SERVICE_NAME` or `RTP_LOG_LEVEL`, stay the workload's own).
 */
export const reservedEnvNames: readonly string[] = runtimeEnvSetBy('trait');
export const reservedEnvPattern = `^(${contractValues.secretPrefixes.join('|')})|^(${reservedEnvNames.join('|')})$`;

/** Annotation the integration puts on the workload and its pods. */
export const platformAnnotation = 'realtime.platform.example.org/platform';

/** Addon-level names shared by the definitions, the compositions and template.cue. */
export const addonNames = {
  addon: 'realtime-platform',
  providerConfig: 'realtime-platform',
  platformComposition: 'realtime-platform',
  iotBrokerComposition: 'iot-broker',
  functionComposePlatform: 'rtp-function-compose-platform',
  functionAutoReady: 'rtp-function-auto-ready',
  platformChart: 'realtime-platform',
  iotBrokerChart: 'iot-broker',
  iotBrokerKind: 'IotBrokerClaim',
  iotBrokerPlural: 'iotbrokerclaims',
  iotBrokerCompositeKind: 'XIotBrokerClaim',
  iotBrokerCompositePlural: 'xiotbrokerclaims',
  iotBrokerClaimSuffix: '-iot',
} as const;

/**
 * Objects the realtime-platform chart names `{name}-<suffix>` that are not in the contract (they are
 * the chart's own): the Lenses subcharts must be given them as values (the chart checks them).
 */
export const chartObjects = {
  lensesHqAdminSecret: 'lenses-hq-admin',
  lensesAgent: 'lenses-agent',
} as const;
