import type { KafkajsPatchStatus } from './kafkajs-linear-grouping.patch.js';

/*
 * kafkajs 2.2.4 encodes every record of a produce request through its general-purpose Encoder: a
 * zero-filled 512-byte buffer per record, a temporary array and Buffer per varint, and 64-bit
 * `Long` objects for the timestamp delta. At four records per reading that is the splitter's
 * largest cost after the grouping (see kafkajs-linear-grouping.patch.ts). This module puts a
 * direct encoder in place of kafkajs's `recordBatch/record/v0` module: the sizes are computed
 * with plain integer arithmetic and the record is written into one exactly-sized buffer. It
 * returns a kafkajs Encoder holding those bytes, so everything downstream is unchanged. Inputs
 * outside the fast path (headers, unusual types, deltas beyond 2^50) go to kafkajs's own
 * function. A test compares the bytes with kafkajs's for both paths. Pinned to 2.2.4.
 */

const patchedVersion = '2.2.4';

export interface RecordInput {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: Readonly<Record<string, unknown>>;
}

interface EncoderLike {
  buf: Buffer;
  offset: number;
}

type RecordFunction = (input: RecordInput) => EncoderLike;

const maxFastDelta = 2 ** 50;

/** ZigZag of a safe integer, in floating point (exact below 2^52). */
const zigZag = (value: number): number => (value >= 0 ? value * 2 : -value * 2 - 1);

function uVarIntSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size += 1;
  }
  return size;
}

function writeUVarInt(buffer: Buffer, offset: number, value: number): number {
  while (value >= 128) {
    buffer[offset++] = (value % 128) | 128;
    value = Math.floor(value / 128);
  }
  buffer[offset++] = value;
  return offset;
}

const byteLength = (bytes: string | Buffer | null | undefined): number =>
  bytes == null ? -1 : typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;

/** Size of a varint-length-prefixed byte string (`-1` length for null). */
const bytesFieldSize = (length: number): number =>
  length < 0 ? 1 : uVarIntSize(zigZag(length)) + length;

function writeBytesField(
  buffer: Buffer,
  offset: number,
  bytes: string | Buffer | null | undefined,
  length: number,
): number {
  if (length < 0) return writeUVarInt(buffer, offset, zigZag(-1));
  offset = writeUVarInt(buffer, offset, zigZag(length));
  if (typeof bytes === 'string') buffer.write(bytes, offset, length, 'utf8');
  else (bytes as Buffer).copy(buffer, offset);
  return offset + length;
}

const isBytes = (value: unknown): value is string | Buffer | null | undefined =>
  value == null || typeof value === 'string' || Buffer.isBuffer(value);

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/**
 * kafkajs's Record v0 (`Length Attributes TimestampDelta OffsetDelta Key Value Headers`) for the
 * common case, else `fallback`. `encoderPrototype` is kafkajs's Encoder.prototype.
 */
export function createRecordEncoder(
  encoderPrototype: object,
  fallback: RecordFunction,
): RecordFunction {
  return (input) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers } = input;
    if (
      !Number.isSafeInteger(timestampDelta) ||
      Math.abs(timestampDelta) >= maxFastDelta ||
      !Number.isInteger(offsetDelta) ||
      offsetDelta < 0 ||
      offsetDelta >= 2 ** 30 ||
      !isBytes(key) ||
      !isBytes(value) ||
      (headers !== undefined && hasKeys(headers))
    ) {
      return fallback(input);
    }
    const keyLength = byteLength(key);
    const valueLength = byteLength(value);
    const bodySize =
      1 + // attributes
      uVarIntSize(zigZag(timestampDelta)) +
      uVarIntSize(zigZag(offsetDelta)) +
      bytesFieldSize(keyLength) +
      bytesFieldSize(valueLength) +
      1; // no headers: varint 0
    const total = uVarIntSize(zigZag(bodySize)) + bodySize;
    const buffer = Buffer.allocUnsafe(total);
    let offset = writeUVarInt(buffer, 0, zigZag(bodySize));
    buffer[offset++] = 0;
    offset = writeUVarInt(buffer, offset, zigZag(timestampDelta));
    offset = writeUVarInt(buffer, offset, zigZag(offsetDelta));
    offset = writeBytesField(buffer, offset, key, keyLength);
    offset = writeBytesField(buffer, offset, value, valueLength);
    buffer[offset++] = 0;
    const encoder = Object.create(encoderPrototype) as EncoderLike;
    encoder.buf = buffer;
    encoder.offset = offset;
    return encoder;
  };
}

/**
 * Puts the direct encoder in place of kafkajs's `recordBatch/record/v0` module (see
 * `installLinearGrouping` for why it replaces the exports of the loaded module). Only called by
 * `installKafkajsSpeedups()`: nothing is patched on import.
 */
export function installRecordEncoder(require: NodeJS.Require): KafkajsPatchStatus {
  let target: string;
  let produceRequest: string;
  let encoderPath: string;
  try {
    const { version } = require('kafkajs/package.json') as { version: string };
    if (version !== patchedVersion) return 'unsupported';
    target = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    produceRequest = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
    encoderPath = require.resolve('kafkajs/src/protocol/encoder.js');
  } catch {
    return 'unsupported';
  }
  if (isPatched(require.cache[target]?.exports)) return 'installed';
  // The produce request module captures the record function when it loads.
  if (require.cache[produceRequest] !== undefined) return 'too-late';
  const original = require(target) as RecordFunction;
  const Encoder = require(encoderPath) as { prototype: object };
  const loaded = require.cache[target];
  if (loaded === undefined) return 'unsupported';
  loaded.exports = Object.assign(createRecordEncoder(Encoder.prototype, original), {
    [patchMarker]: true,
  });
  return 'installed';
}

const patchMarker = 'kRealtimePlatformPatched';

/** Whether `record` (kafkajs's record function as loaded) is the direct encoder. */
export function isPatched(record: unknown): boolean {
  return (
    typeof record === 'function' &&
    (record as unknown as Record<string, unknown>)[patchMarker] === true
  );
}
