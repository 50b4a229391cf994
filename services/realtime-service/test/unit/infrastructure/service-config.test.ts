import { describe, expect, it } from '@jest/globals';
import { alertsTopic, runtimeEnv, vitalTopics } from '@realtime-platform/platform-contract';
import {
  defaultServiceName,
  loadServiceConfig,
} from '../../../src/infrastructure/config/service-config.js';
import { infrastructureErrors } from '../../../src/infrastructure/infrastructure.errors.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadServiceConfig(env);
  } catch (error) {
    expect(error).toMatchObject({ code: infrastructureErrors.CONFIG_INVALID.code });
    return (error as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected the configuration to be refused');
};

describe('loadServiceConfig', () => {
  it('defaults to the four vital topics in broadcast mode, the contract alerts topic and the default rules', () => {
    const config = loadServiceConfig({});
    expect(config).toMatchObject({
      serviceName: defaultServiceName,
      wsPath: '/ws',
      vitalTopics: [...vitalTopics],
      consumerMode: 'broadcast',
      alertsTopic,
    });
    expect(config.alertRules.map((rule) => rule.id)).toContain('heart-rate');
  });

  it('reads the variables the realtime-service component and the trait set', () => {
    const config = loadServiceConfig({
      [runtimeEnv.serviceName]: 'vitals',
      [runtimeEnv.wsPath]: '/live',
      [runtimeEnv.topics]: 'heart_rate_device_topic, temperature_device_topic',
      [runtimeEnv.consumerMode]: 'shared',
      [runtimeEnv.alertsTopic]: 'ward_alerts',
      [runtimeEnv.alertRules]: '[{"id":"fever","metric":"temperature","max":38}]',
    });
    expect(config).toMatchObject({
      serviceName: 'vitals',
      wsPath: '/live',
      vitalTopics: ['heart_rate_device_topic', 'temperature_device_topic'],
      consumerMode: 'shared',
      alertsTopic: 'ward_alerts',
    });
    expect(config.alertRules.map((rule) => rule.toProps())).toEqual([
      { id: 'fever', metric: 'temperature', max: 38, severity: 'warning' },
    ]);
  });

  it('turns alerting off with an empty rule list', () => {
    expect(loadServiceConfig({ [runtimeEnv.alertRules]: '[]' }).alertRules).toEqual([]);
  });

  it('lists every problem at once, naming the variable', () => {
    const problems = problemsOf({
      [runtimeEnv.wsPath]: 'ws',
      [runtimeEnv.topics]: 'device_data',
      [runtimeEnv.consumerMode]: 'fanout',
      [runtimeEnv.alertRules]: '{"id":"x"}',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(
      /RTP_WS_PATH[\s\S]*RTP_TOPICS[\s\S]*RTP_CONSUMER_MODE[\s\S]*RTP_ALERT_RULES/,
    );
  });

  it.each([
    ['not JSON', '[{'],
    ['an unknown field', '[{"id":"x","metric":"heartRate","max":1,"above":2}]'],
    ['an invalid rule', '[{"id":"x","metric":"heartRate"}]'],
  ])('refuses alert rules that are %s', (_what, rules) => {
    expect(problemsOf({ [runtimeEnv.alertRules]: rules })[0]).toMatch(/^RTP_ALERT_RULES: /);
  });
});
