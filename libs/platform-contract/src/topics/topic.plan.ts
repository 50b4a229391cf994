import type { RealtimePlatformSpec } from '../claim/claim.types.js';
import { retentionToMs } from '../claim/retention.converter.js';
import {
  defaultTopicCatalog,
  defaultTopicPartitions,
  dlqTopicName,
  dlqTopicPartitions,
  type TopicRole,
} from './topic.catalog.js';

export interface PlannedTopic {
  readonly name: string;
  /** `declared` = added by the claim's `topics`; `dlq` = the dead-letter topic of `dlqOf`. */
  readonly role: TopicRole | 'declared' | 'dlq';
  readonly partitions: number;
  /** As written (`7d`); `retentionMs` is the Kafka `retention.ms`. */
  readonly retention: string;
  readonly retentionMs: number;
  readonly dlqOf?: string;
}

/**
 * Every topic a platform creates, each followed by its `<topic>.dlq`: the default topics (a declared
 * topic with the same name overrides their partitions and retention), then the other declared ones.
 * Retention falls back to `dataRetention`.
 */
export function planTopics(spec: RealtimePlatformSpec): PlannedTopic[] {
  const declared = new Map(spec.topics.map((topic) => [topic.name, topic]));
  const base = [
    ...defaultTopicCatalog.map((topic) => ({ name: topic.name, role: topic.role })),
    ...spec.topics
      .filter((topic) => !defaultTopicCatalog.some((d) => d.name === topic.name))
      .map((topic) => ({ name: topic.name, role: 'declared' as const })),
  ];
  return base.flatMap(({ name, role }) => {
    const override = declared.get(name);
    const retention = override?.retention ?? spec.dataRetention;
    const retentionMs = retentionToMs(retention);
    const topic: PlannedTopic = {
      name,
      role,
      partitions: override?.partitions ?? defaultTopicPartitions,
      retention,
      retentionMs,
    };
    const dlq: PlannedTopic = {
      name: dlqTopicName(name),
      role: 'dlq',
      partitions: dlqTopicPartitions,
      retention,
      retentionMs,
      dlqOf: name,
    };
    return [topic, dlq];
  });
}
