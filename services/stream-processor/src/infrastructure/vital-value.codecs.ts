import { vitalTopicSchemas, type VitalTopic } from '@realtime-platform/health-domain';
import { vitalTopics } from '@realtime-platform/platform-contract';
import {
  avroCodec,
  jsonCodec,
  type AvroCodec,
  type AvroSchema,
  type Codec,
  type SchemaRegistryClient,
} from '@realtime-platform/realtime-sdk';

/** How the vital records' values are written (`RTP_VALUE_FORMAT`). */
export const valueFormats = ['avro', 'json'] as const;
export type ValueFormat = (typeof valueFormats)[number];

/** The Schema Registry subject of a topic's values: Confluent's default TopicNameStrategy. */
export const valueSubjectOf = (topic: string): string => `${topic}-value`;

export type VitalValue = Record<string, string | number>;

export interface VitalCodecs {
  readonly format: ValueFormat;
  /** The value codec of each vital topic. */
  readonly byTopic: ReadonlyMap<VitalTopic, Codec<VitalValue>>;
  /** Avro only: the codecs that register their schema (empty for JSON). */
  readonly avro: ReadonlyMap<VitalTopic, AvroCodec<VitalValue>>;
}

/**
 * The four value codecs: Avro in the Confluent wire format with the health domain's record
 * schemas (`vitalTopicSchemas`), registered under `<topic>-value`; or plain JSON objects with the
 * same fields in the same order.
 */
export function vitalValueCodecs(format: ValueFormat, registry: SchemaRegistryClient): VitalCodecs {
  const byTopic = new Map<VitalTopic, Codec<VitalValue>>();
  const avro = new Map<VitalTopic, AvroCodec<VitalValue>>();
  for (const topic of vitalTopics) {
    if (format === 'json') {
      byTopic.set(topic, jsonCodec<VitalValue>());
      continue;
    }
    const codec = avroCodec<VitalValue>({
      registry,
      // The domain's schemas are deeply readonly; avsc's type wants mutable arrays.
      schema: vitalTopicSchemas[topic] as unknown as AvroSchema,
      subject: ({ topic: written }) => valueSubjectOf(written),
    });
    byTopic.set(topic, codec);
    avro.set(topic, codec);
  }
  return { format, byTopic, avro };
}
