import { describe, expect, it } from '@jest/globals';
import { dlqTopicName, parseClaimSpec, planTopics } from '../../src/index.js';

const plan = (claim: object) => planTopics(parseClaimSpec({ name: 'p', ...claim }));

describe('planTopics', () => {
  it('creates the requirements topics, the alerts topic, and a .dlq for each', () => {
    expect(plan({}).map((t) => t.name)).toEqual([
      'device_data',
      'device_data.dlq',
      'blood_pressure_device_topic',
      'blood_pressure_device_topic.dlq',
      'heart_rate_device_topic',
      'heart_rate_device_topic.dlq',
      'oxygen_saturation_device_topic',
      'oxygen_saturation_device_topic.dlq',
      'temperature_device_topic',
      'temperature_device_topic.dlq',
      'health_alerts',
      'health_alerts.dlq',
    ]);
  });

  it('marks device_data as input and the vital topics as derived', () => {
    const roles = Object.fromEntries(plan({}).map((t) => [t.name, t.role]));
    expect(roles.device_data).toBe('input');
    expect(roles.heart_rate_device_topic).toBe('derived');
    expect(roles.health_alerts).toBe('derived');
    expect(roles['device_data.dlq']).toBe('dlq');
  });

  it('gives topics 6 partitions and dead-letter topics 1 by default', () => {
    const topics = plan({});
    expect(new Set(topics.filter((t) => t.role !== 'dlq').map((t) => t.partitions))).toEqual(
      new Set([6]),
    );
    expect(new Set(topics.filter((t) => t.role === 'dlq').map((t) => t.partitions))).toEqual(
      new Set([1]),
    );
  });

  it('applies dataRetention to every topic as retention.ms', () => {
    expect(new Set(plan({}).map((t) => t.retentionMs))).toEqual(new Set([604_800_000]));
    expect(new Set(plan({ dataRetention: '1m' }).map((t) => t.retentionMs))).toEqual(
      new Set([2_592_000_000]),
    );
  });

  it('lets a declared topic override a default one and adds the others with their .dlq', () => {
    const topics = plan({
      dataRetention: '2w',
      topics: [
        { name: 'device_data', partitions: 12, retention: '1d' },
        { name: 'audit', retention: '6m' },
      ],
    });
    expect(topics.find((t) => t.name === 'device_data')).toEqual({
      name: 'device_data',
      role: 'input',
      partitions: 12,
      retention: '1d',
      retentionMs: 86_400_000,
    });
    expect(topics.filter((t) => t.name.startsWith('audit'))).toEqual([
      {
        name: 'audit',
        role: 'declared',
        partitions: 6,
        retention: '6m',
        retentionMs: 15_552_000_000,
      },
      {
        name: 'audit.dlq',
        role: 'dlq',
        partitions: 1,
        retention: '6m',
        retentionMs: 15_552_000_000,
        dlqOf: 'audit',
      },
    ]);
    expect(topics.find((t) => t.name === 'heart_rate_device_topic')?.retention).toBe('2w');
  });

  it('names dead-letter topics <topic>.dlq', () => {
    expect(dlqTopicName('heart_rate_device_topic')).toBe('heart_rate_device_topic.dlq');
  });
});
