import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import {
  healthErrors,
  splitReading,
  vitalTopicSchemas,
  type HealthData,
} from '@realtime-platform/health-domain';
import { NodeService, localPlatformEnv } from '@realtime-platform/local-infra';
import { useKafkaBroker, useSchemaRegistry } from '@realtime-platform/local-infra/jest';
import {
  deviceDataTopic,
  dlqTopicName,
  runtimeEnv,
  vitalTopics,
} from '@realtime-platform/platform-contract';
import {
  SchemaRegistryClient,
  avroCodec,
  deadLetterHeaders,
  type AvroSchema,
  type Codec,
} from '@realtime-platform/realtime-sdk';
import {
  createTopics,
  fleetReading,
  payloadOf,
  reading,
  readingId,
} from '@realtime-platform/testkit';
import { TopicReader, produce, rawKafka } from '../helpers/kafka.js';

/**
 * The built service (dist/main.js) as its own process against a real Kafka broker and a real
 * Schema Registry (Apicurio, Confluent API): what comes out of the four vital topics, the DLQ,
 * and what survives kill -9.
 */
const kafka = useKafkaBroker({ autoCreateTopics: false });
// Logins of the platform's Kafka principals: the service registers schemas as `stream-processor`.
const registry = useSchemaRegistry(() => ({ users: kafka().registryUsers() }));

const entry = resolve(import.meta.dirname, '../../dist/main.js');
const groupId = `stream-processor-${randomUUID().slice(0, 8)}`;
const dlqTopic = dlqTopicName(deviceDataTopic);

let service: NodeService;
const readers = new Map<string, TopicReader>();
const reader = (topic: string): TopicReader => readers.get(topic) as TopicReader;
let decoders: Map<string, Codec<Record<string, unknown>>>;

type Decoded = { key: string | undefined; value: Record<string, unknown>; timestamp: string };

/** Every record of `topic` decoded with the SDK's Avro codec against the registry. */
async function decodeAll(topic: string, messages: readonly KafkaMessage[]): Promise<Decoded[]> {
  const codec = decoders.get(topic) as Codec<Record<string, unknown>>;
  return Promise.all(
    messages.map(async (message) => ({
      key: message.key?.toString(),
      value: await codec.decode(message.value as Buffer, { topic }),
      timestamp: message.timestamp,
    })),
  );
}

/** Waits until every id has arrived in `topic` (Avro-decoded), then answers them by id. */
async function awaitIds(topic: string, ids: ReadonlySet<string>): Promise<Map<string, Decoded[]>> {
  let byId = new Map<string, Decoded[]>();
  let decodedCount = 0;
  const decoded: Decoded[] = [];
  for (;;) {
    const messages = reader(topic).messages;
    if (messages.length > decodedCount) {
      const upTo = messages.length;
      decoded.push(...(await decodeAll(topic, messages.slice(decodedCount, upTo))));
      decodedCount = upTo;
      byId = new Map();
      for (const record of decoded) {
        const id = readingId(record.value as { deviceId: string; createdTime: number });
        byId.set(id, [...(byId.get(id) ?? []), record]);
      }
    }
    if ([...ids].every((id) => byId.has(id))) return byId;
    await reader(topic).until(
      (all) => all.length > decodedCount,
      120_000,
      `${topic} (${ids.size} ids)`,
    );
  }
}

const messageOf = (value: HealthData, timestamp: number) => ({
  key: value.deviceId,
  value: payloadOf(value),
  timestamp: String(timestamp),
});

describe('stream-processor (built service, real Kafka and Schema Registry)', () => {
  // Inside the describe block: these hooks run before the file-level ones of useKafkaBroker and
  // useSchemaRegistry, so readers and the service stop while the broker is still up.
  beforeAll(async () => {
    const brokers = kafka();
    await createTopics(brokers, [
      { topic: deviceDataTopic, numPartitions: 3 },
      { topic: dlqTopic, numPartitions: 1 },
      ...vitalTopics.map((topic) => ({ topic, numPartitions: 3 })),
    ]);
    service = await NodeService.start({
      name: 'stream-processor',
      entry,
      env: {
        // Its own Kafka principal: reads device_data in its group, writes the vital topics.
        ...localPlatformEnv(
          { kafka: kafka(), schemaRegistry: registry() },
          { kafkaPrincipal: 'stream' },
        ),
        [runtimeEnv.serviceName]: 'stream-processor',
        [runtimeEnv.topics]: deviceDataTopic,
        [runtimeEnv.consumerMode]: 'shared',
        [runtimeEnv.consumerGroup]: groupId,
        [runtimeEnv.instanceId]: 'stream-processor-0',
      },
      startTimeoutMs: 120_000,
    });
    for (const topic of [...vitalTopics, dlqTopic]) {
      readers.set(topic, await TopicReader.start(brokers, topic));
    }
    const client = new SchemaRegistryClient({
      url: registry().url,
      credentials: registry().credentials(),
    });
    decoders = new Map(
      vitalTopics.map((topic) => [
        topic,
        avroCodec<Record<string, unknown>>({
          registry: client,
          schema: vitalTopicSchemas[topic] as unknown as AvroSchema,
        }),
      ]),
    );
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...readers.values()].map((r) => r.stop()));
    await service?.stop();
  });

  it('should be live and ready, with the processor check, and serve metrics', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks).toMatchObject({
      'stream-processor': { ok: true },
      'kafka-consumers': { ok: true },
    });
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain(
      'rtp_kafka_records_consumed_total',
    );
  });

  it('should write every reading to the four topics as Avro records (Confluent wire format) keyed by deviceId, as the Lenses SQL would', async () => {
    const readings = Array.from({ length: 600 }, (_, n) => fleetReading(n));
    const recordTime = (n: number): number => 1_767_300_000_000 + n;
    await produce(
      kafka(),
      deviceDataTopic,
      readings.map((value, n) => messageOf(value, recordTime(n))),
    );
    const ids = new Set(readings.map(readingId));
    const client = new SchemaRegistryClient({
      url: registry().url,
      credentials: registry().credentials(),
    });
    for (const [position, topic] of vitalTopics.entries()) {
      const byId = await awaitIds(topic, ids);
      for (const [n, value] of readings.entries()) {
        const [record] = byId.get(readingId(value)) ?? [];
        const expected = splitReading(value)[position];
        expect(record?.key).toBe(value.deviceId);
        expect(record?.value).toEqual(expected?.value);
        // The input record's timestamp is forwarded; createdTime is the reading's own time.
        expect(record?.timestamp).toBe(String(recordTime(n)));
      }
      // Subject <topic>-value holds the domain schema, with BACKWARD compatibility.
      const subject = `${topic}-value`;
      expect(await client.compatibility(subject)).toBe('BACKWARD');
      const latest = (await (
        await fetch(`${registry().url}/subjects/${subject}/versions/latest`, {
          headers: { authorization: registry().authorization() },
        })
      ).json()) as { id: number; schema: string };
      const schema = JSON.parse(latest.schema) as { fields: { name: string; type: string }[] };
      expect(schema.fields).toEqual(vitalTopicSchemas[topic].fields);
      // Magic byte 0 and the registry id of that schema, on every record.
      for (const message of reader(topic).messages) {
        expect((message.value as Buffer)[0]).toBe(0);
        expect((message.value as Buffer).readInt32BE(1)).toBe(latest.id);
      }
    }
  });

  it('should send malformed readings to device_data.dlq with the reason and keep splitting', async () => {
    const marker = reading({ deviceId: 'after-the-bad-ones', timestamp: 1_767_400_000_000 });
    const bad = [
      { key: 'cuff-1', value: Buffer.from('{"deviceId":"cuff-1", "heartRate": 7') },
      { key: 'cuff-2', value: payloadOf(reading({ deviceId: 'cuff-2', heartRate: 400 })) },
      { key: 'cuff-3', value: Buffer.from([0xc3, 0x28]) },
      { key: 'cuff-4', value: payloadOf({ deviceId: 'cuff-4', timestamp: 1_767_400_000_000 }) },
    ];
    await produce(kafka(), deviceDataTopic, [
      ...bad.map((message) => ({ ...message, headers: { origin: 'test' } })),
      messageOf(marker, 1_767_400_000_500),
    ]);
    const dead = await reader(dlqTopic).until((all) => all.length >= 4, 120_000, 'dead letters');
    const byKey = new Map(dead.map((message) => [message.key?.toString(), message]));
    const header = (key: string, name: string): string | undefined =>
      byKey.get(key)?.headers?.[name]?.toString();
    const codes: Record<string, string> = {
      'cuff-1': healthErrors.PAYLOAD_MALFORMED_JSON.code,
      'cuff-2': healthErrors.FIELD_OUT_OF_RANGE.code,
      'cuff-3': healthErrors.PAYLOAD_NOT_UTF8.code,
      'cuff-4': healthErrors.FIELD_MISSING.code,
    };
    for (const { key, value } of bad) {
      expect(byKey.get(key)?.value).toEqual(value);
      expect(header(key, deadLetterHeaders.errorCode)).toBe(codes[key]);
      expect(header(key, deadLetterHeaders.reason)).toBe('handler');
      expect(header(key, deadLetterHeaders.retriable)).toBe('false');
      expect(header(key, deadLetterHeaders.originalTopic)).toBe(deviceDataTopic);
      expect(header(key, deadLetterHeaders.consumerGroup)).toBe(groupId);
      expect(header(key, 'origin')).toBe('test');
    }
    expect(header('cuff-2', deadLetterHeaders.errorMessage)).toBe(
      'heartRate 400 is outside 20..300 bpm',
    );
    expect(header('cuff-4', deadLetterHeaders.errorMessage)).toMatch(
      /^heartRate is required; systolic is required; /,
    );
    // The reading after the bad ones still comes out, and the process never stopped.
    for (const topic of vitalTopics) await awaitIds(topic, new Set([readingId(marker)]));
    expect(service.running).toBe(true);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`rtp_processor_readings_rejected_total\\{code="${codes['cuff-2']}"[^}]*\\} 1`),
    );
  });

  it('after kill -9 mid-stream and a restart, every reading produced shows up at least once in each of the four topics', async () => {
    const total = 12_000;
    const chunk = 1000;
    const readings = Array.from({ length: total }, (_, n) =>
      fleetReading(n, 13, 1_767_500_000_000),
    );
    const send = (from: number, to: number) =>
      produce(
        kafka(),
        deviceDataTopic,
        readings.slice(from, to).map((value) => messageOf(value, value.timestamp)),
      );
    // Stream in: the processor is busy splitting when it is killed.
    await send(0, 4 * chunk);
    const firstIds = new Set(readings.slice(0, chunk).map(readingId));
    await awaitIds('heart_rate_device_topic', firstIds);
    await service.kill('SIGKILL');
    expect(service.running).toBe(false);
    // Readings keep arriving while it is down.
    await send(4 * chunk, 8 * chunk);
    await service.restart();
    await send(8 * chunk, total);

    const ids = new Set(readings.map(readingId));
    for (const topic of vitalTopics) {
      const byId = await awaitIds(topic, ids);
      for (const value of readings) expect(byId.has(readingId(value))).toBe(true);
    }
  });

  it('SIGTERM should drain: exit 0 with every handled offset committed', async () => {
    const admin = rawKafka(kafka()).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(deviceDataTopic);
      const endTotal = ends.reduce((sum, p) => sum + Number(p.high), 0);
      // Everything produced so far was split (previous tests), so a drain commits all of it.
      await service.stop();
      expect(await service.exited).toEqual({ exitCode: 0, signal: null });
      const committed = await admin.fetchOffsets({ groupId, topics: [deviceDataTopic] });
      const committedTotal = (committed[0]?.partitions ?? []).reduce(
        (sum, p) => sum + Math.max(0, Number(p.offset)),
        0,
      );
      expect(committedTotal).toBe(endTotal);
    } finally {
      await admin.disconnect();
    }
  });
});
