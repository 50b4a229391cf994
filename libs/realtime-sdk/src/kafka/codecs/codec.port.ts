/** What a codec knows about the record it encodes or decodes. */
export interface CodecContext {
  readonly topic: string;
}

/**
 * Turns values into record bytes and back. `decode` throws a non-retriable coded error
 * (RTP_ERR_SDK_CODEC_*) for bytes it cannot read: the consumer sends such records to the DLQ.
 */
export interface Codec<T> {
  readonly name: string;
  encode(value: T, context: CodecContext): Buffer | Promise<Buffer>;
  decode(bytes: Buffer, context: CodecContext): T | Promise<T>;
}
