import { sdkErrors } from '../../sdk.errors.js';
import type { Codec } from './codec.port.js';

export interface JsonCodecOptions<T> {
  /**
   * Checks a parsed value; return false (or throw) to reject it, which sends the record to the
   * DLQ as undecodable. Without it any JSON value is accepted as `T`.
   */
  readonly validate?: (value: unknown) => value is T;
}

/** UTF-8 JSON. Decoding failures are RTP_ERR_SDK_CODEC_DECODE_FAILED (never retried). */
export function jsonCodec<T = unknown>(options: JsonCodecOptions<T> = {}): Codec<T> {
  const { validate } = options;
  return {
    name: 'json',
    encode(value) {
      try {
        return Buffer.from(JSON.stringify(value));
      } catch (error) {
        throw sdkErrors.CODEC_ENCODE_FAILED(
          { codec: 'json', reason: (error as Error).message },
          { cause: error },
        );
      }
    },
    decode(bytes) {
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch (error) {
        throw sdkErrors.CODEC_DECODE_FAILED(
          { codec: 'json', reason: (error as Error).message },
          { cause: error },
        );
      }
      if (validate !== undefined) {
        let valid: boolean;
        try {
          valid = validate(value);
        } catch (error) {
          throw sdkErrors.CODEC_DECODE_FAILED(
            { codec: 'json', reason: (error as Error).message },
            { cause: error },
          );
        }
        if (!valid)
          throw sdkErrors.CODEC_DECODE_FAILED({ codec: 'json', reason: 'rejected by validate' });
      }
      return value as T;
    },
  };
}

/** Bytes in, bytes out (a pass-through for handlers that decode themselves). */
export const bufferCodec: Codec<Buffer> = {
  name: 'buffer',
  encode: (value) => value,
  decode: (bytes) => bytes,
};
