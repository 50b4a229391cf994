import { describe, expect, it } from '@jest/globals';
import {
  credentialKeys,
  describePlatform,
  kafkaReplicationSettings,
  kafkaTopicReplicationFactor,
  renderSecretData,
  validateClaimSpec,
} from '../../src/index.js';

describe('kafkaReplicationSettings', () => {
  it('keeps three copies and acknowledges on two with three brokers', () => {
    expect(kafkaReplicationSettings(3)).toEqual({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'transaction.state.log.min.isr': 2,
    });
    expect(kafkaTopicReplicationFactor(3)).toBe(3);
  });

  it('keeps one copy with one broker', () => {
    expect(Object.values(kafkaReplicationSettings(1))).toEqual([1, 1, 1, 1, 1]);
    expect(kafkaTopicReplicationFactor(1)).toBe(1);
  });
});

describe('spec.kafkaBrokers', () => {
  it('defaults to one broker', () => {
    const result = validateClaimSpec({ name: 'health-data' });
    expect(result.ok && result.spec.kafkaBrokers).toBe(1);
  });

  it('refuses a count other than 1 or 3, naming the field', () => {
    const result = validateClaimSpec({ name: 'health-data', kafkaBrokers: 2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.code).toBe('RTP_ERR_CONTRACT_CLAIM_FIELD_NOT_ALLOWED');
    expect(result.errors[0]?.details).toMatchObject({ path: 'spec.kafkaBrokers', value: 2 });
  });
});

describe('the kafka secret of a three-broker platform', () => {
  const bootstrapOf = (claim: object) => {
    const platform = describePlatform({ claim, namespace: 'apps' });
    // Every credential the five secrets hold, from the contract (a hand-typed list went stale).
    const credentials = Object.fromEntries(credentialKeys.map((key) => [key, 'x']));
    const secrets = renderSecretData(platform, credentials);
    return secrets.find((secret) => secret.id === 'kafka')?.stringData.KAFKA_BOOTSTRAP_SERVERS;
  };

  it('lists every broker pod through the headless Service', () => {
    expect(bootstrapOf({ name: 'health-data', kafkaBrokers: 3 })).toBe(
      [0, 1, 2]
        .map((i) => `health-data-kafka-${i}.health-data-kafka-headless.apps.svc.cluster.local:9092`)
        .join(','),
    );
  });

  it('names the Service with one broker', () => {
    expect(bootstrapOf({ name: 'health-data' })).toBe(
      'health-data-kafka.apps.svc.cluster.local:9092',
    );
  });
});
