import { splitReading, type HealthData, type VitalRecord } from '@realtime-platform/health-domain';

/** What the processor keeps of the `device_data` record a reading came in. */
export interface SourceRecord {
  /** The record's timestamp (CreateTime or LogAppendTime), epoch milliseconds. */
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** A vital record as it goes out to its topic: key, value, timestamp and headers. */
export type VitalOutput = VitalRecord & {
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
};

/**
 * The records the four Lenses SQL statements of the requirements write for one valid reading,
 * with Kafka Streams' record semantics (Lenses SQL processors run on Kafka Streams):
 * - one record in each of the four vital topics, for every reading (the statements have no WHERE);
 * - key `_value.deviceId AS _key`, a STRING: the reading's deviceId, whatever the input key was;
 * - value: the SELECT list (`splitReading`); `createdTime` is the reading's own `timestamp`;
 * - the record timestamp and headers of the input record are forwarded, as a Kafka Streams
 *   `mapValues`/`to` topology forwards them.
 */
export function vitalOutputsOf(reading: HealthData, source: SourceRecord): VitalOutput[] {
  const { timestamp, headers } = source;
  const records = splitReading(reading);
  const outputs: VitalOutput[] = new Array(records.length);
  for (let index = 0; index < records.length; index += 1) {
    // One literal of a fixed shape (no spread): this runs four times per reading.
    const { topic, key, value } = records[index] as VitalRecord;
    outputs[index] = { topic, key, value, timestamp, headers } as VitalOutput;
  }
  return outputs;
}
