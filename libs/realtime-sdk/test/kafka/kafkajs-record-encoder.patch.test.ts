import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import {
  createRecordEncoder,
  type RecordInput,
} from '../../src/kafka/kafkajs-record-encoder.patch.js';

// jest's module registry is its own: these are kafkajs's original, unpatched modules.
const require = createRequire(import.meta.url);
const original = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  input: RecordInput,
) => { buffer: Buffer; buf: Buffer; offset: number };
const Encoder = require('kafkajs/src/protocol/encoder.js') as { prototype: object };

let fallbacks = 0;
const encode = createRecordEncoder(Encoder.prototype, (input) => {
  fallbacks += 1;
  return original(input);
});

const bytesOf = (input: RecordInput): Buffer =>
  (encode(input) as unknown as { buffer: Buffer }).buffer;

describe('kafkajs record encoder patch', () => {
  it('should write the same bytes as kafkajs for keys, values, deltas and sizes of every varint width', () => {
    const cases: RecordInput[] = [];
    const values = [
      null,
      '',
      'x',
      'ä€𝄞',
      Buffer.alloc(0),
      Buffer.alloc(63, 7),
      Buffer.alloc(64, 1),
    ];
    for (const key of [null, 'device-00042', Buffer.from('k'), '']) {
      for (const value of values) {
        for (const timestampDelta of [0, 1, -1, 63, 64, -64, -65, 8191, 1_000_000, -(2 ** 40)]) {
          for (const offsetDelta of [0, 1, 63, 64, 5000]) {
            cases.push({ key, value, timestampDelta, offsetDelta });
          }
        }
      }
    }
    // Lengths whose varint needs two and three bytes.
    for (const value of [Buffer.alloc(200, 2), Buffer.alloc(9000, 3), 'y'.repeat(70_000)]) {
      cases.push({ key: 'k', value, timestampDelta: 5, offsetDelta: 2 });
    }
    cases.push({ key: 'k', value: 'v' }, { key: 'k', value: 'v', headers: {} });
    fallbacks = 0;
    const different = cases.filter((input) => !bytesOf(input).equals(original(input).buffer));
    expect(different).toEqual([]);
    expect(fallbacks).toBe(0);
  });

  it('should leave headers, huge deltas and other types to kafkajs, with the same bytes', () => {
    const cases: RecordInput[] = [
      { key: 'k', value: 'v', headers: { traceparent: 'abc', many: ['a', Buffer.from('b')] } },
      { key: 'k', value: 'v', timestampDelta: 2 ** 52 },
      { key: 'k', value: 'v', offsetDelta: 2 ** 31 - 1 },
    ];
    fallbacks = 0;
    for (const input of cases) expect(bytesOf(input)).toEqual(original(input).buffer);
    expect(fallbacks).toBe(cases.length);
  });

  it('should answer a kafkajs Encoder (what the record batch writes)', () => {
    const encoder = encode({ key: 'k', value: Buffer.from('v'), offsetDelta: 3 });
    expect(Object.getPrototypeOf(encoder)).toBe(Encoder.prototype);
    expect(Buffer.isBuffer(encoder.buf)).toBe(true);
  });
});
