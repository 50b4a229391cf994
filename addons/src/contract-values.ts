import {
  alertsTopic,
  claimApi,
  maxPlatformNameLength,
  platformNamePattern,
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
 * The env vars the realtime integration sets besides the five secrets. They are not platform secret
 * keys (no `MQTT_`/`KAFKA_`/`DB_`/`DASHBOARD_`/`LENSES_` prefix), so they can never shadow one.
 */
export const realtimeEnv = {
  platform: 'REALTIME_PLATFORM',
  topics: 'REALTIME_TOPICS',
  alertsTopic: 'REALTIME_ALERTS_TOPIC',
  consumerGroup: 'REALTIME_CONSUMER_GROUP',
  consumerMode: 'REALTIME_CONSUMER_MODE',
  instanceId: 'REALTIME_INSTANCE_ID',
} as const;

/** Env names a workload may not set itself when it is wired to a platform. */
export const reservedEnvPattern = `^(${[...contractValues.secretPrefixes, 'REALTIME_'].join('|')})`;

/** Annotation the integration puts on the workload and its pods. */
export const platformAnnotation = 'realtime.platform.example.org/platform';

/** Addon-level names shared by the definitions, the compositions and template.cue. */
export const addonNames = {
  addon: 'realtime-platform',
  providerConfig: 'realtime-platform',
  platformComposition: 'realtime-platform',
  iotBrokerComposition: 'iot-broker',
  functionGoTemplating: 'rtp-function-go-templating',
  functionAutoReady: 'rtp-function-auto-ready',
  platformChart: 'realtime-platform',
  iotBrokerChart: 'iot-broker',
  iotBrokerKind: 'IotBrokerClaim',
  iotBrokerPlural: 'iotbrokerclaims',
  iotBrokerCompositeKind: 'XIotBrokerClaim',
  iotBrokerCompositePlural: 'xiotbrokerclaims',
  iotBrokerClaimSuffix: '-iot',
} as const;
