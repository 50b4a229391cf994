import avro from 'avsc';
import { sdkErrors } from '../../sdk.errors.js';
import type { Codec, CodecContext } from './codec.port.js';
import type { SchemaRegistryClient } from './schema-registry.client.js';

type Resolver = ReturnType<avro.Type['createResolver']>;
/** An Avro schema object, as avsc's `Type.forSchema` takes it. */
export type AvroSchema = Parameters<typeof avro.Type.forSchema>[0];

/** Confluent wire format: magic byte 0, then the schema id as a 4-byte big-endian integer. */
export const confluentMagicByte = 0;
export const confluentHeaderLength = 5;

export interface AvroCodecOptions {
  readonly registry: SchemaRegistryClient;
  /** The reader (and writer) schema, as an Avro schema object. */
  readonly schema: AvroSchema;
  /**
   * The subject the schema is registered under; defaults to the TopicNameStrategy
   * `<topic>-value` of the record's topic.
   */
  readonly subject?: (context: CodecContext) => string;
}

/** The Avro codec, plus what a service needs to set its subjects up at start. */
export interface AvroCodec<T> extends Codec<T> {
  /** The schema exactly as `encode` registers it (avsc's canonical form, with defaults). */
  readonly schemaText: string;
  /** Registers the schema under the subject of `context` (as the first `encode` would); its id. */
  register(context: CodecContext): Promise<number>;
}

/**
 * Avro values in the Confluent Schema Registry wire format: `0x00`, the schema id (int32 BE), the
 * Avro binary encoding. Encoding registers the schema (cached) under the subject; decoding looks
 * the writer schema up by id (cached) and resolves it to this codec's reader schema, so records
 * written with an older compatible schema still decode.
 */
export function avroCodec<T>(options: AvroCodecOptions): AvroCodec<T> {
  const readerType = avro.Type.forSchema(options.schema);
  // exportAttrs: without it avsc leaves out field defaults (and aliases, order), so the registry
  // would judge a compatible evolution (a new field with a default) as a breaking one.
  const schemaText = JSON.stringify(readerType.schema({ exportAttrs: true }));
  const subjectOf = options.subject ?? ((context: CodecContext) => `${context.topic}-value`);
  /** Per writer schema id: undefined when writer and reader are equal, else a resolver. */
  const resolvers = new Map<number, Promise<Resolver | undefined>>();
  /**
   * The same, once the registry answered: decoding is then synchronous (no promise and no
   * microtask per record - measurable at tens of thousands of records per second).
   */
  const settled = new Map<number, Resolver | undefined>();
  /** Per subject, the id once the registry answered: encoding is then synchronous. */
  const knownIds = new Map<string, number>();
  /** Encoding scratch space, grown on demand; each frame is copied out of it once. */
  let scratch = Buffer.allocUnsafe(1024);

  const register = async (context: CodecContext): Promise<number> => {
    const subject = subjectOf(context);
    const id = await options.registry.register(subject, schemaText);
    knownIds.set(subject, id);
    return id;
  };

  const frame = (id: number, value: T): Buffer => {
    scratch.writeUInt8(confluentMagicByte, 0);
    scratch.writeInt32BE(id, 1);
    let end: number;
    try {
      end = readerType.encode(value, scratch, confluentHeaderLength);
      while (end < 0) {
        // avsc answers minus the missing length when the buffer is too small.
        const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
        scratch.copy(grown, 0, 0, confluentHeaderLength);
        scratch = grown;
        end = readerType.encode(value, scratch, confluentHeaderLength);
      }
    } catch (error) {
      throw sdkErrors.CODEC_ENCODE_FAILED(
        { codec: 'avro', reason: (error as Error).message },
        { cause: error },
      );
    }
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };

  const read = (bytes: Buffer, reader: Resolver | undefined): T => {
    try {
      return readerType.fromBuffer(bytes.subarray(confluentHeaderLength), reader) as T;
    } catch (error) {
      throw sdkErrors.CODEC_DECODE_FAILED(
        { codec: 'avro', reason: (error as Error).message },
        { cause: error },
      );
    }
  };

  const readerFor = (id: number): Promise<Resolver | undefined> => {
    let reader = resolvers.get(id);
    if (reader === undefined) {
      reader = options.registry.schemaById(id).then((text) => {
        const writerType = avro.Type.forSchema(JSON.parse(text) as AvroSchema);
        const resolver = writerType.equals(readerType)
          ? undefined
          : readerType.createResolver(writerType);
        settled.set(id, resolver);
        return resolver;
      });
      resolvers.set(id, reader);
      reader.catch(() => resolvers.delete(id));
    }
    return reader;
  };

  return {
    name: 'avro',
    schemaText,
    register,
    encode(value, context) {
      const id = knownIds.get(subjectOf(context));
      if (id !== undefined) return frame(id, value);
      return register(context).then((registered) => frame(registered, value));
    },
    decode(bytes) {
      if (bytes.length < confluentHeaderLength) {
        throw sdkErrors.CODEC_AVRO_WIRE_FORMAT({ reason: `only ${bytes.length} bytes` });
      }
      if (bytes[0] !== confluentMagicByte) {
        throw sdkErrors.CODEC_AVRO_WIRE_FORMAT({ reason: `magic byte is ${bytes[0]}` });
      }
      const id = bytes.readInt32BE(1);
      if (settled.has(id)) return read(bytes, settled.get(id));
      return readerFor(id).then((reader) => read(bytes, reader));
    },
  };
}
