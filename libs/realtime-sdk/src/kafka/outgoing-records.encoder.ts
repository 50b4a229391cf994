import type { IHeaders } from 'kafkajs';
import type { Codec } from './codecs/codec.port.js';
import type { OutgoingRecord } from './message-bus.port.js';

/** A record as kafkajs sends it. */
export interface KafkaOutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | null;
  headers?: IHeaders;
  partition?: number;
  /** Milliseconds since the epoch, as a decimal string (kafkajs's form). */
  timestamp?: string;
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/**
 * Encodes records for one topic. A codec may answer synchronously (JSON, or Avro once the schema
 * id is cached): then no promise is created per record, which matters at tens of thousands of
 * records a second. Asynchronous answers are awaited together.
 */
export function encodeOutgoingRecords<T>(
  topic: string,
  records: readonly OutgoingRecord<T>[],
  codec: Codec<T>,
): KafkaOutgoingMessage[] | Promise<KafkaOutgoingMessage[]> {
  const context = { topic };
  const messages: KafkaOutgoingMessage[] = new Array(records.length);
  let pending: Promise<void>[] | undefined;
  // Consecutive records often share a timestamp (one input record, several outputs).
  let lastTimestamp: number | undefined;
  let lastTimestampText = '';
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index] as OutgoingRecord<T>;
    let encoded: Buffer | Promise<Buffer>;
    try {
      encoded = codec.encode(record.value, context);
    } catch (error) {
      // Whatever was already in flight must not end as an unhandled rejection.
      for (const promise of pending ?? []) promise.catch(() => undefined);
      throw error;
    }
    const message: KafkaOutgoingMessage = {
      key: record.key ?? null,
      value: encoded instanceof Promise ? null : encoded,
    };
    // kafkajs only reads headers; an empty object is left out.
    if (record.headers !== undefined && hasKeys(record.headers)) message.headers = record.headers;
    if (record.partition !== undefined) message.partition = record.partition;
    if (record.timestamp !== undefined) {
      if (record.timestamp !== lastTimestamp) {
        lastTimestamp = record.timestamp;
        lastTimestampText = String(record.timestamp);
      }
      message.timestamp = lastTimestampText;
    }
    messages[index] = message;
    if (encoded instanceof Promise) {
      (pending ??= []).push(
        encoded.then((value) => {
          message.value = value;
        }),
      );
    }
  }
  return pending === undefined ? messages : Promise.all(pending).then(() => messages);
}
