import { afterEach, describe, expect, it } from '@jest/globals';
import { useKafkaBroker, useSchemaRegistry } from '@realtime-platform/local-infra/jest';
import { dlqTopicName } from '@realtime-platform/platform-contract';
import { createTopic, eventually } from '@realtime-platform/testkit';
import {
  KafkajsMessageBus,
  SchemaRegistryClient,
  avroCodec,
  sdkErrors,
  type AvroSchema,
} from '../../../src/index.js';
import { committedTotal, readAll } from '../../helpers/kafka-admin.js';

/**
 * The Avro codec against a real Confluent-compatible Schema Registry (Apicurio Registry, its
 * `/apis/ccompat/v7` API) and a real Kafka broker. The byte-exact stand-in test
 * (avro.codec.test.ts) pins the wire format; this file proves the registry side of it.
 */
const registry = useSchemaRegistry();
const kafka = useKafkaBroker();

const CONFLUENT_JSON = 'application/vnd.schemaregistry.v1+json';

/** One Confluent-API call made by the test itself, to check what the registry holds. */
async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${registry().url}${path}`, {
    method,
    headers: {
      'content-type': CONFLUENT_JSON,
      accept: CONFLUENT_JSON,
      authorization: registry().authorization(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface HeartRate {
  deviceId: string;
  bpm: number;
}

const heartRateV1 = {
  type: 'record',
  name: 'HeartRate',
  namespace: 'health',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'bpm', type: 'int' },
  ],
} satisfies AvroSchema;

const evolved = (field: { name: string; type: string; default?: string }): AvroSchema => ({
  ...heartRateV1,
  fields: [...heartRateV1.fields, field],
});

/** A schema as the codec registers it (avsc's form): the full name, no separate namespace. */
const asRegistered = (schema: AvroSchema): unknown => {
  const { namespace, name, ...rest } = schema as Record<string, unknown>;
  return { ...rest, name: `${String(namespace)}.${String(name)}` };
};

const client = (): SchemaRegistryClient =>
  new SchemaRegistryClient({ url: registry().url, credentials: registry().credentials() });

const buses: KafkajsMessageBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

async function bus(): Promise<KafkajsMessageBus> {
  const created = new KafkajsMessageBus({
    brokers: [kafka().bootstrapServers],
    security: kafka().busSecurity(),
    clientId: 'avro-codec-registry-test',
    consumerGroup: `group-${Math.random().toString(36).slice(2)}`,
    instanceId: 'pod-a',
  });
  buses.push(created);
  await created.connect();
  return created;
}

describe('avroCodec against a real Schema Registry (Apicurio, Confluent API)', () => {
  it('encode registers the schema under <topic>-value and frames the value with magic byte 0 and the registry id of the latest version', async () => {
    const topic = await createTopic(kafka(), 'avro-encode', 1);
    const codec = avroCodec<HeartRate>({ registry: client(), schema: heartRateV1 });

    const bytes = await codec.encode({ deviceId: 'd1', bpm: 72 }, { topic });

    const latest = await call('GET', `/subjects/${topic}-value/versions/latest`);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ subject: `${topic}-value`, version: 1 });
    expect(latest.body.id).toEqual(expect.any(Number));
    expect(JSON.parse(latest.body.schema as string)).toEqual(asRegistered(heartRateV1));
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(latest.body.id);
    // The body after the 5-byte header: string "d1" (0x04 'd' '1'), int 72 (0x90 0x01).
    expect([...bytes.subarray(5)]).toEqual([0x04, 0x64, 0x31, 0x90, 0x01]);
    // Encoding the same schema again reuses the registered version.
    const again = await avroCodec<HeartRate>({ registry: client(), schema: heartRateV1 }).encode(
      { deviceId: 'd2', bpm: 80 },
      { topic },
    );
    expect(again.readInt32BE(1)).toBe(latest.body.id);
    expect((await call('GET', `/subjects/${topic}-value/versions`)).body).toEqual([1]);
  });

  it('a codec with an empty cache decodes a produced record by fetching the writer schema by id from the registry', async () => {
    const topic = await createTopic(kafka(), 'avro-decode', 1);
    const producer = await bus();
    const writer = avroCodec<HeartRate>({ registry: client(), schema: heartRateV1 });
    await producer.publish(topic, [{ key: 'd1', value: { deviceId: 'd1', bpm: 64 } }], writer);

    const [message] = await readAll(kafka(), topic, 1);
    const frame = message?.value as Buffer;
    const id = frame.readInt32BE(1);
    const byId = await call('GET', `/schemas/ids/${id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.body.schema as string)).toEqual(asRegistered(heartRateV1));

    const fetched: string[] = [];
    const reader = avroCodec<HeartRate>({
      registry: new SchemaRegistryClient({
        url: registry().url,
        credentials: registry().credentials(),
        fetch: (input, init) => {
          fetched.push(`${init?.method ?? 'GET'} ${String(input).slice(registry().url.length)}`);
          return fetch(input, init);
        },
      }),
      schema: heartRateV1,
    });
    expect(await reader.decode(frame, { topic })).toEqual({ deviceId: 'd1', bpm: 64 });
    expect(fetched).toEqual([`GET /schemas/ids/${id}`]);
  });

  it('under BACKWARD compatibility an added field with a default registers and old records still decode; a required field without a default is refused with SCHEMA_REGISTRY_REJECTED and nothing is produced', async () => {
    const topic = await createTopic(kafka(), 'avro-evolve', 1);
    const subject = `${topic}-value`;
    const producer = await bus();
    const v1 = avroCodec<HeartRate>({ registry: client(), schema: heartRateV1 });
    await producer.publish(topic, [{ key: 'd1', value: { deviceId: 'd1', bpm: 60 } }], v1);

    const set = await call('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' });
    expect(set.status).toBe(200);
    // Apicurio answers `compatibilityLevel` where Confluent's PUT answers `compatibility`.
    expect(set.body.compatibilityLevel ?? set.body.compatibility).toBe('BACKWARD');

    // Compatible evolution: a new field with a default.
    const v2 = avroCodec<HeartRate & { unit: string }>({
      registry: client(),
      schema: evolved({ name: 'unit', type: 'string', default: 'bpm' }),
    });
    await producer.publish(
      topic,
      [{ key: 'd1', value: { deviceId: 'd1', bpm: 61, unit: 'beats' } }],
      v2,
    );
    const latest = await call('GET', `/subjects/${subject}/versions/latest`);
    expect(latest.body).toMatchObject({ subject, version: 2 });
    // The registered schema keeps the field's default (the registry judges compatibility by it).
    expect(JSON.parse(latest.body.schema as string)).toEqual(
      asRegistered(evolved({ name: 'unit', type: 'string', default: 'bpm' })),
    );

    // Incompatible evolution: a required field without a default.
    const v3 = avroCodec<HeartRate & { site: string }>({
      registry: client(),
      schema: evolved({ name: 'site', type: 'string' }),
    });
    await expect(
      producer.publish(topic, [{ key: 'd1', value: { deviceId: 'd1', bpm: 62, site: 'x' } }], v3),
    ).rejects.toMatchObject({
      code: sdkErrors.SCHEMA_REGISTRY_REJECTED.code,
      retriable: false,
      details: expect.objectContaining({ status: 409 }),
    });
    expect((await call('GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);

    // Nothing of the refused publish reached the topic: after it, only a marker record follows.
    await producer.publish(topic, [{ key: 'end', value: { deviceId: 'end', bpm: 0 } }], v1);
    const messages = await readAll(kafka(), topic, 3);
    expect(messages.map((message) => message.key?.toString())).toEqual(['d1', 'd1', 'end']);
    const frames = messages.map((message) => message.value as Buffer);
    expect(frames[1]?.readInt32BE(1)).toBe(latest.body.id);

    // A v2 reader with an empty cache reads v1 records (with the default) and v2 records.
    const reader = avroCodec<HeartRate & { unit: string }>({
      registry: client(),
      schema: evolved({ name: 'unit', type: 'string', default: 'bpm' }),
    });
    const decoded = await Promise.all(frames.map((frame) => reader.decode(frame, { topic })));
    expect(decoded).toEqual([
      { deviceId: 'd1', bpm: 60, unit: 'bpm' },
      { deviceId: 'd1', bpm: 61, unit: 'beats' },
      { deviceId: 'end', bpm: 0, unit: 'bpm' },
    ]);
  });
  it('SchemaRegistryClient.setCompatibility should set a subject to BACKWARD, and compatibility() read it back', async () => {
    const subject = `compat-${Math.random().toString(36).slice(2)}-value`;
    const registryClient = client();
    const codec = avroCodec<HeartRate>({
      registry: registryClient,
      schema: heartRateV1,
      subject: () => subject,
    });
    const id = await codec.register({ topic: 'unused' });
    expect((await call('GET', `/subjects/${subject}/versions/latest`)).body).toMatchObject({ id });
    await registryClient.setCompatibility(subject, 'BACKWARD');
    expect(await registryClient.compatibility(subject)).toBe('BACKWARD');
    expect((await call('GET', `/config/${subject}`)).body).toMatchObject({
      compatibilityLevel: 'BACKWARD',
    });
  });

  it('SchemaRegistryClient should refuse to work anonymously or with a wrong password: SCHEMA_REGISTRY_AUTH_FAILED, not retriable', async () => {
    const subject = `anonymous-${Date.now()}-value`;
    for (const credentials of [
      undefined,
      { username: registry().credentials().username, password: 'not-the-password' },
    ]) {
      const outsider = new SchemaRegistryClient({ url: registry().url, credentials });
      await expect(outsider.register(subject, JSON.stringify(heartRateV1))).rejects.toMatchObject({
        code: sdkErrors.SCHEMA_REGISTRY_AUTH_FAILED.code,
        retriable: false,
        details: { status: 401 },
      });
    }
    await expect(client().compatibility(subject)).rejects.toMatchObject({
      code: sdkErrors.SCHEMA_REGISTRY_REJECTED.code,
      details: { status: 404 },
    });
  });

  it.each(['handler', 'batchHandler'] as const)(
    'with the registry killed before a consumer knows the writer schema (%s), records wait uncommitted, none is dead-lettered, and all are handled once it is back',
    async (mode) => {
      const topic = await createTopic(kafka(), `avro-outage-${mode}`, 1);
      const producer = await bus();
      const writer = avroCodec<HeartRate>({ registry: client(), schema: heartRateV1 });
      const sent = Array.from({ length: 20 }, (_, n) => ({
        key: 'd1',
        value: { deviceId: 'd1', bpm: 60 + n },
      }));
      await producer.publish(topic, sent, writer);
      await registry().kill('SIGKILL');

      const handled: HeartRate[] = [];
      const consumer = await bus();
      const reader = avroCodec<HeartRate>({
        registry: new SchemaRegistryClient({
          url: registry().url,
          credentials: registry().credentials(),
          timeoutMs: 500,
        }),
        schema: heartRateV1,
      });
      const subscription = await consumer.subscribe<HeartRate>({
        topics: [topic],
        mode: 'shared',
        fromBeginning: true,
        codec: reader,
        retry: { initialDelayMs: 50, maxDelayMs: 300 },
        ...(mode === 'handler'
          ? { handler: ({ value }) => void handled.push(value) }
          : { batchHandler: (records) => void handled.push(...records.map((r) => r.value)) }),
      });
      await subscription.waitUntilJoined();
      // Far longer than the old three quick retries (~1.4 s): still nothing handled or dead-lettered.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(handled).toEqual([]);
      expect(await committedTotal(kafka(), subscription.groupId, topic)).toBe(0);

      await registry().restart();
      await eventually(() => handled.length === sent.length, {
        timeoutMs: 30_000,
        what: 'every record handled',
      });
      expect(handled).toEqual(sent.map(({ value }) => value));
      await expect(readAll(kafka(), dlqTopicName(topic), 1, 3000)).rejects.toThrow(
        /only 0\/1 records/,
      );
    },
  );
});
