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

/**
 * `map` applied to a decoded value, synchronously when the value is already there: a codec built
 * on another keeps the inner codec's synchronous answers (no promise per record).
 */
export function mapDecoded<T, U>(decoded: T | Promise<T>, map: (value: T) => U): U | Promise<U> {
  return decoded instanceof Promise ? decoded.then(map) : map(decoded);
}
