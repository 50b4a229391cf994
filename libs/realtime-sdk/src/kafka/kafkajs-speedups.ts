import { installLinearGrouping, type KafkajsPatchStatus } from './kafkajs-linear-grouping.patch.js';
import { installRecordEncoder } from './kafkajs-record-encoder.patch.js';
import { kafkajsRequire } from './kafkajs.loader.js';

/** What `installKafkajsSpeedups()` achieved, per patch (`off` when it was not asked for). */
export interface KafkajsSpeedups {
  readonly linearGrouping: KafkajsPatchStatus | 'off';
  readonly recordEncoder: KafkajsPatchStatus | 'off';
}

export const kafkajsSpeedupsOff: KafkajsSpeedups = Object.freeze({
  linearGrouping: 'off',
  recordEncoder: 'off',
});

/**
 * Opt-in: replaces two of kafkajs 2.2.4's internal producer modules with faster ones of the same
 * output (the O(n) partition grouping and the direct record encoder, see their modules). It
 * changes kafkajs for the whole process (every kafkajs client in it), which is why nothing
 * installs it on import: `new KafkajsMessageBus({ kafkajsSpeedups: true })` (or
 * `RTP_KAFKA_CLIENT=kafkajs-speedups`) calls it, or a process calls it itself. It only works
 * before anything in the process loaded kafkajs's producer (`too-late` otherwise); a kafkajs
 * other than 2.2.4 is left alone (`unsupported`). Idempotent.
 */
export function installKafkajsSpeedups(): KafkajsSpeedups {
  return {
    linearGrouping: installLinearGrouping(kafkajsRequire),
    recordEncoder: installRecordEncoder(kafkajsRequire),
  };
}
