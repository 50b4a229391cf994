import { encodeTextFrame } from './ws-frame.encoder.js';
import type { SubscriptionFilter } from './ws-hub.protocol.js';

/**
 * One subscription key (`topic` + filter) and its subscribers. It owns the sequence numbers of
 * its data frames and the frame text prefix, so a data frame is built once per record and key,
 * whatever the number of subscribers.
 */
export class Channel<C> {
  seq = 0;
  readonly clients = new Set<C>();
  readonly framePrefix: string;

  constructor(
    readonly topic: string,
    readonly key: string,
    readonly filter: SubscriptionFilter,
  ) {
    this.framePrefix = `{"v":1,"type":"data","topic":${JSON.stringify(topic)},"sub":${JSON.stringify(key)},"seq":`;
  }

  /**
   * The data frame for `seq`, as a complete WebSocket frame shared by all subscribers;
   * `dataJson` is the record serialised once for all channels.
   */
  frame(seq: number, ts: number, dataJson: string): Buffer {
    return encodeTextFrame(`${this.framePrefix}${seq},"ts":${ts},"data":${dataJson}}`);
  }
}
