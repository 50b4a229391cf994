import type { Codec } from '../kafka/codecs/codec.port.js';
import type { MessageBus, Subscription } from '../kafka/message-bus.port.js';
import { sdkErrors } from '../sdk.errors.js';
import type { WsHub } from './ws-hub.js';

/** A JSON record kept as its text too, so the hub can splice it into frames without re-serialising. */
export interface JsonWithText {
  readonly data: unknown;
  readonly json: string;
}

/** Parses once (filters need the fields) and keeps the text (frames reuse it). */
export const jsonWithTextCodec: Codec<JsonWithText> = {
  name: 'json',
  encode: (value) => Buffer.from(value.json),
  decode(bytes) {
    const json = bytes.toString('utf8');
    try {
      return { data: JSON.parse(json) as unknown, json };
    } catch (error) {
      throw sdkErrors.CODEC_DECODE_FAILED(
        { codec: 'json', reason: (error as Error).message },
        { cause: error },
      );
    }
  },
};

export interface BridgeOptions {
  readonly topics: readonly string[];
  /** Base of the broadcast group id; defaults to the bus's consumer group. */
  readonly groupId?: string;
}

/**
 * Feeds JSON Kafka topics into the hub with a **broadcast** subscription: every gateway replica
 * must see every record, or its clients miss what another replica consumed. Frames carry the
 * record timestamp as `ts`. Malformed records go to `<topic>.dlq` (once per replica: headers name
 * the group).
 */
export function bridgeKafkaToHub(
  bus: MessageBus,
  hub: WsHub,
  options: BridgeOptions,
): Promise<Subscription> {
  return bus.subscribe<JsonWithText>({
    topics: options.topics,
    mode: 'broadcast',
    ...(options.groupId === undefined ? {} : { groupId: options.groupId }),
    codec: jsonWithTextCodec,
    handler: (record) => {
      hub.publish(record.topic, record.value.data, {
        ts: record.timestamp,
        json: record.value.json,
      });
    },
  });
}
