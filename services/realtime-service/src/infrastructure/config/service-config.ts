import { alertsTopic, runtimeEnv, vitalTopics } from '@realtime-platform/platform-contract';
import {
  createAlertRules,
  defaultAlertRules,
  type AlertRule,
  type AlertRuleProps,
} from '../../domain/index.js';
import { infrastructureErrors } from '../infrastructure.errors.js';

/** The service's name unless RTP_SERVICE_NAME says otherwise (Kafka client id, group base, logs). */
export const defaultServiceName = 'realtime-service';

export type VitalTopic = (typeof vitalTopics)[number];
export type ConsumerMode = 'broadcast' | 'shared';

/** What this service reads besides the five secrets and the SDK's variables. */
export interface ServiceConfig {
  readonly serviceName: string;
  /** Path of the WebSocket endpoint (RTP_WS_PATH). */
  readonly wsPath: string;
  /** The vital-sign topics to consume (RTP_TOPICS; default all four). */
  readonly vitalTopics: readonly VitalTopic[];
  /** Mode of the live-feed consumer (RTP_CONSUMER_MODE; default broadcast). */
  readonly consumerMode: ConsumerMode;
  /** RTP_ALERTS_TOPIC; default the contract's alerts topic. */
  readonly alertsTopic: string;
  readonly alertRules: readonly AlertRule[];
}

type Env = Readonly<Record<string, string | undefined>>;

const topicPattern = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/**
 * Reads the service's own `RTP_*` variables (names from the platform contract) and collects every
 * problem into one RTP_ERR_REALTIME_SERVICE_CONFIG_INVALID, so a typo fails the start, not a
 * request.
 */
export function loadServiceConfig(env: Env): ServiceConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const wsPath = read(runtimeEnv.wsPath) ?? '/ws';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(wsPath))
    problems.push(`${runtimeEnv.wsPath} must be a path starting with "/" (got ${wsPath})`);

  let topics: VitalTopic[] = [...vitalTopics];
  const rawTopics = read(runtimeEnv.topics);
  if (rawTopics !== undefined) {
    const names = rawTopics
      .split(',')
      .map((topic) => topic.trim())
      .filter((topic) => topic !== '');
    const unknown = names.filter((topic) => !(vitalTopics as readonly string[]).includes(topic));
    if (unknown.length > 0)
      problems.push(
        `${runtimeEnv.topics} may only list vital-sign topics (${vitalTopics.join(', ')}); this service has no schema for ${unknown.join(', ')}`,
      );
    else if (names.length === 0) problems.push(`${runtimeEnv.topics} lists no topic`);
    else topics = [...new Set(names)] as VitalTopic[];
  }

  const consumerMode = read(runtimeEnv.consumerMode) ?? 'broadcast';
  if (consumerMode !== 'broadcast' && consumerMode !== 'shared')
    problems.push(`${runtimeEnv.consumerMode} must be broadcast or shared (got ${consumerMode})`);

  const alerts = read(runtimeEnv.alertsTopic) ?? alertsTopic;
  if (!topicPattern.test(alerts))
    problems.push(`${runtimeEnv.alertsTopic} is not a valid topic name (got ${alerts})`);

  let alertRules: AlertRule[] = [];
  const rawRules = read(runtimeEnv.alertRules);
  try {
    alertRules = createAlertRules(
      rawRules === undefined ? defaultAlertRules : parseRules(rawRules),
    );
  } catch (error) {
    problems.push(`${runtimeEnv.alertRules}: ${(error as Error).message}`);
  }

  const serviceName = read(runtimeEnv.serviceName) ?? defaultServiceName;
  if (problems.length > 0) throw infrastructureErrors.CONFIG_INVALID({ problems });
  return {
    serviceName,
    wsPath,
    vitalTopics: topics,
    consumerMode: consumerMode as ConsumerMode,
    alertsTopic: alerts,
    alertRules,
  };
}

function parseRules(raw: string): AlertRuleProps[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new Error('must be a JSON array of rules');
  return parsed.map((rule, index) => {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
      throw new Error(`rule ${index} is not an object`);
    const known = new Set(['id', 'metric', 'min', 'max', 'severity']);
    const unknown = Object.keys(rule).filter((key) => !known.has(key));
    if (unknown.length > 0)
      throw new Error(`rule ${index} has unknown field(s) ${unknown.join(', ')}`);
    return rule as AlertRuleProps;
  });
}
