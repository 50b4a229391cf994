import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaRegistryClient, avroCodec, jsonCodec, sdkErrors } from '../../../src/index.js';

/**
 * A stand-in for the Confluent Schema Registry REST API - only the two endpoints the codec uses,
 * `POST /subjects/<subject>/versions` and `GET /schemas/ids/<id>`, as Confluent documents them.
 * It stands in for the registry, not for Kafka; a real registry comes with the platform's Kafka.
 */
class RegistryStandIn {
  readonly requests: string[] = [];
  private readonly schemas: string[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      // A handler that throws answers 500 (the codec then fails the test) instead of an unhandled
      // rejection that stops the test worker.
      this.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(JSON.stringify({ error_code: 50001, message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
    const register = /^\/subjects\/([^/]+)\/versions$/.exec(request.url ?? '');
    const lookup = /^\/schemas\/ids\/(\d+)$/.exec(request.url ?? '');
    if (request.method === 'POST' && register) {
      const { schema } = JSON.parse(await body(request)) as { schema: string };
      let index = this.schemas.indexOf(schema);
      if (index < 0) index = this.schemas.push(schema) - 1;
      response.end(JSON.stringify({ id: index + 7 }));
    } else if (request.method === 'GET' && lookup) {
      const schema = this.schemas[Number(lookup[1]) - 7];
      response.statusCode = schema === undefined ? 404 : 200;
      response.end(
        JSON.stringify(
          schema === undefined ? { error_code: 40403, message: 'Schema not found' } : { schema },
        ),
      );
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

const body = async (request: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
};

const heartRate = {
  type: 'record' as const,
  name: 'HeartRate',
  namespace: 'health',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'bpm', type: 'int' },
  ],
};

const registry = new RegistryStandIn();
beforeAll(() => registry.start());
afterAll(() => registry.stop());

describe('avroCodec (Confluent wire format)', () => {
  it('encode should write magic byte 0, the schema id big-endian, then the Avro binary body', async () => {
    const codec = avroCodec<{ deviceId: string; bpm: number }>({
      registry: new SchemaRegistryClient({ url: registry.url }),
      schema: heartRate,
    });
    const bytes = await codec.encode(
      { deviceId: 'd1', bpm: 72 },
      { topic: 'heart_rate_device_topic' },
    );
    // Worked out from the specs, not from the library: 0x00 | id 7 as int32 BE | string "d1"
    // (zig-zag length 2 → 0x04, 'd', '1') | int 72 (zig-zag 144 → varint 0x90 0x01).
    expect([...bytes]).toEqual([0x00, 0x00, 0x00, 0x00, 0x07, 0x04, 0x64, 0x31, 0x90, 0x01]);
    expect(registry.requests).toContain('POST /subjects/heart_rate_device_topic-value/versions');
  });

  it('encode should answer synchronously once the id of the subject is known, with the same bytes, and frames of any size', async () => {
    const codec = avroCodec<{ deviceId: string; bpm: number }>({
      registry: new SchemaRegistryClient({ url: registry.url }),
      schema: heartRate,
    });
    const context = { topic: 'heart_rate_device_topic' };
    const first = codec.encode({ deviceId: 'd1', bpm: 72 }, context);
    expect(first).toBeInstanceOf(Promise);
    const second = codec.encode({ deviceId: 'd1', bpm: 72 }, context);
    // The first registration is still in flight: the second waits for it too.
    expect(second).toBeInstanceOf(Promise);
    expect(await second).toEqual(await first);
    const third = codec.encode({ deviceId: 'd1', bpm: 72 }, context);
    expect(Buffer.isBuffer(third)).toBe(true);
    expect(third).toEqual(await first);
    // A value larger than the initial scratch buffer, then a small one again.
    const long = 'x'.repeat(5000);
    const big = codec.encode({ deviceId: long, bpm: 1 }, context) as Buffer;
    expect(await codec.decode(big, context)).toEqual({ deviceId: long, bpm: 1 });
    expect(codec.encode({ deviceId: 'd1', bpm: 72 }, context)).toEqual(await first);
    // Frames are copies: encoding again does not change an earlier frame.
    expect([...(third as Buffer)]).toEqual([
      0x00, 0x00, 0x00, 0x00, 0x07, 0x04, 0x64, 0x31, 0x90, 0x01,
    ]);
    expect(() => codec.encode({ deviceId: 'd1', bpm: 'x' as unknown as number }, context)).toThrow(
      expect.objectContaining({ code: sdkErrors.CODEC_ENCODE_FAILED.code }),
    );
  });

  it('register should register the schema text under the subject of the context', async () => {
    const codec = avroCodec<{ deviceId: string; bpm: number }>({
      registry: new SchemaRegistryClient({ url: registry.url }),
      schema: heartRate,
    });
    expect(await codec.register({ topic: 'heart_rate_device_topic' })).toBe(7);
    expect(JSON.parse(codec.schemaText)).toEqual({
      type: 'record',
      name: 'health.HeartRate',
      fields: heartRate.fields,
    });
  });

  it('decode should look the writer schema up by id once and read the value', async () => {
    const client = new SchemaRegistryClient({ url: registry.url });
    const writer = avroCodec<{ deviceId: string; bpm: number }>({
      registry: client,
      schema: heartRate,
    });
    const bytes = await writer.encode(
      { deviceId: 'd2', bpm: 80 },
      { topic: 'heart_rate_device_topic' },
    );
    const reader = avroCodec<{ deviceId: string; bpm: number }>({
      registry: new SchemaRegistryClient({ url: registry.url }),
      schema: heartRate,
    });
    const before = registry.requests.length;
    expect(await reader.decode(bytes, { topic: 'heart_rate_device_topic' })).toEqual({
      deviceId: 'd2',
      bpm: 80,
    });
    expect(await reader.decode(bytes, { topic: 'heart_rate_device_topic' })).toEqual({
      deviceId: 'd2',
      bpm: 80,
    });
    expect(registry.requests.slice(before)).toEqual(['GET /schemas/ids/7']);
  });

  it('decode should answer synchronously once the writer schema of the id is known', async () => {
    const client = new SchemaRegistryClient({ url: registry.url });
    const codec = avroCodec<{ deviceId: string; bpm: number }>({
      registry: client,
      schema: heartRate,
    });
    const bytes = await codec.encode({ deviceId: 'd4', bpm: 70 }, { topic: 'hr-sync' });
    const first = codec.decode(bytes, { topic: 'hr-sync' });
    expect(first).toBeInstanceOf(Promise);
    await first;
    expect(codec.decode(bytes, { topic: 'hr-sync' })).toEqual({ deviceId: 'd4', bpm: 70 });
  });

  it('decode should resolve an older writer schema to the reader schema', async () => {
    const client = new SchemaRegistryClient({ url: registry.url });
    const v1 = avroCodec<{ deviceId: string; bpm: number }>({
      registry: client,
      schema: heartRate,
    });
    const bytes = await v1.encode({ deviceId: 'd3', bpm: 60 }, { topic: 'hr2' });
    const v2 = avroCodec<{ deviceId: string; bpm: number; unit: string }>({
      registry: client,
      schema: {
        ...heartRate,
        fields: [...heartRate.fields, { name: 'unit', type: 'string', default: 'bpm' }],
      },
    });
    expect(await v2.decode(bytes, { topic: 'hr2' })).toEqual({
      deviceId: 'd3',
      bpm: 60,
      unit: 'bpm',
    });
  });

  it('decode should reject bytes without the magic byte, and unknown ids, with coded errors', async () => {
    const codec = avroCodec({
      registry: new SchemaRegistryClient({ url: registry.url }),
      schema: heartRate,
    });
    // Thrown at once (no registry call needed to see it); a rejection would do as well.
    await expect(
      Promise.resolve().then(() => codec.decode(Buffer.from('{"json":true}'), { topic: 't' })),
    ).rejects.toMatchObject({
      code: sdkErrors.CODEC_AVRO_WIRE_FORMAT.code,
    });
    await expect(
      codec.decode(Buffer.from([0, 0, 0, 3, 0xe7, 0]), { topic: 't' }),
    ).rejects.toMatchObject({
      code: sdkErrors.SCHEMA_REGISTRY_REJECTED.code,
      details: expect.objectContaining({ status: 404, errorCode: 40403 }),
    });
  });

  it('an unreachable registry should be a retriable error', async () => {
    const codec = avroCodec({
      registry: new SchemaRegistryClient({ url: 'http://127.0.0.1:1', timeoutMs: 500 }),
      schema: heartRate,
    });
    await expect(codec.encode({ deviceId: 'd', bpm: 1 }, { topic: 't' })).rejects.toMatchObject({
      code: sdkErrors.SCHEMA_REGISTRY_UNAVAILABLE.code,
      retriable: true,
    });
  });
});

describe('jsonCodec', () => {
  it('should round-trip and reject invalid JSON or values refused by validate', () => {
    const codec = jsonCodec<{ n: number }>({
      validate: (v): v is { n: number } => typeof (v as { n?: unknown }).n === 'number',
    });
    expect(codec.decode(codec.encode({ n: 1 }, { topic: 't' }) as Buffer, { topic: 't' })).toEqual({
      n: 1,
    });
    expect(() => codec.decode(Buffer.from('{'), { topic: 't' })).toThrow(
      expect.objectContaining({ code: sdkErrors.CODEC_DECODE_FAILED.code }),
    );
    expect(() => codec.decode(Buffer.from('{"n":"1"}'), { topic: 't' })).toThrow(
      expect.objectContaining({ retriable: false }),
    );
  });
});
