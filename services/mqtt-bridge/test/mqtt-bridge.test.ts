import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { healthErrors } from '@realtime-platform/health-domain';
import { useKafkaBroker, useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import {
  deviceDataTopic,
  deviceMqttTopic,
  deviceReadingsTopic,
  dlqTopicName,
} from '@realtime-platform/platform-contract';
import { deadLetterHeaders } from '@realtime-platform/realtime-sdk';
import { connectAsync, type MqttClient } from 'mqtt';
import { eventually, reading } from '@realtime-platform/testkit';
import { bridgeErrors } from '../src/bridge.errors.js';
import type { InboundMessage } from '../src/application/ports/reading-source.port.js';
import { payloadTruncatedHeader } from '../src/infrastructure/kafka-reading.sink.js';
import { MqttBridge } from '../src/composition-root.js';
import { MqttReadingSource } from '../src/infrastructure/mqtt-reading.source.js';
import { bridgeEnv } from './helpers/bridge-env.js';
import { TopicRecorder, createPipelineTopics } from './helpers/kafka.js';
import { mqttPublisher } from './helpers/mqtt-publisher.js';

const kafka = useKafkaBroker();
// The platform's broker, but admitting packets up to 1 MiB: the oversized-payload test below proves
// the bridge's own limit, which the contract's max_packet_size (16 KiB) otherwise stops first.
const mosquitto = useMosquittoBroker({
  devices: ['monitor-7'],
  settings: { maxPacketSize: 1024 * 1024 },
});
const dlqTopic = dlqTopicName(deviceDataTopic);

let recorder: TopicRecorder;
let publisher: MqttClient;
let bridge: MqttBridge;
let baseUrl: string;

const publish = (payload: string | Buffer) =>
  publisher.publishAsync(deviceMqttTopic, payload, { qos: 1 });

const forwardedOf = (deviceId: string) =>
  recorder.of(deviceDataTopic).filter((record) => record.key === deviceId);
const deadLettersOf = (marker: string) =>
  recorder.of(dlqTopic).filter((record) => record.value.toString().includes(marker));

describe('mqtt-bridge (real Mosquitto and Kafka)', () => {
  // Inside the describe: these run before the brokers of useKafkaBroker/useMosquittoBroker stop.
  beforeAll(async () => {
    await createPipelineTopics(kafka());
    recorder = await TopicRecorder.start(kafka(), [deviceDataTopic, dlqTopic]);
    publisher = await mqttPublisher(mosquitto());
    bridge = new MqttBridge({ env: bridgeEnv(kafka(), mosquitto()) });
    baseUrl = await bridge.start();
  }, 120_000);

  afterAll(async () => {
    await bridge?.stop();
    await publisher?.endAsync();
    await recorder?.stop();
  });

  it('should forward a reading published over MQTT to device_data, keyed by deviceId, with the same fields', async () => {
    const sent = reading({ deviceId: `dev-${randomUUID()}`, heartRate: 64 });
    // Fields HealthData does not know are not forwarded (the SQL path selects named fields).
    await publish(JSON.stringify({ ...sent, firmware: '2.1.0' }));
    await eventually(() => forwardedOf(sent.deviceId).length === 1, { what: 'the record' });
    const [record] = forwardedOf(sent.deviceId);
    expect(JSON.parse(record?.value.toString() ?? '')).toEqual(sent);
    expect(Object.keys(JSON.parse(record?.value.toString() ?? ''))).toEqual(Object.keys(sent));
  });

  it('should keep every reading of a device on one partition (its key)', async () => {
    const deviceId = `dev-${randomUUID()}`;
    for (let i = 0; i < 20; i += 1) {
      await publish(JSON.stringify(reading({ deviceId, timestamp: 1_767_225_600_000 + i })));
    }
    await eventually(() => forwardedOf(deviceId).length === 20);
    expect(new Set(forwardedOf(deviceId).map((record) => record.partition)).size).toBe(1);
    // In publish order within the partition.
    expect(forwardedOf(deviceId).map((r) => JSON.parse(r.value.toString()).timestamp)).toEqual(
      Array.from({ length: 20 }, (_, i) => 1_767_225_600_000 + i),
    );
  });

  it('should dead-letter malformed payloads with the reason, the raw payload, and keep working', async () => {
    const marker = randomUUID();
    const badJson = `{"deviceId": "${marker}", `;
    const { systolic: _systolic, ...missingField } = reading({ deviceId: `missing-${marker}` });
    const outOfRange = reading({ deviceId: `range-${marker}`, bodyTemperature: 98.6 });
    await publish(badJson);
    await publish(JSON.stringify(missingField));
    await publish(JSON.stringify(outOfRange));
    const after = reading({ deviceId: `after-${marker}` });
    await publish(JSON.stringify(after));

    await eventually(() => deadLettersOf(marker).length === 3, { what: 'three dead letters' });
    await eventually(() => forwardedOf(after.deviceId).length === 1, { what: 'the next reading' });
    const [json, missing, range] = deadLettersOf(marker);
    expect(json?.value.toString()).toBe(badJson);
    expect(json?.key).toBeUndefined();
    expect(json?.headers).toMatchObject({
      [deadLetterHeaders.reason]: 'decode',
      [deadLetterHeaders.errorCode]: healthErrors.PAYLOAD_MALFORMED_JSON.code,
      [deadLetterHeaders.retriable]: 'false',
      [deadLetterHeaders.originalTopic]: deviceMqttTopic,
      [deadLetterHeaders.consumerGroup]: 'mqtt-bridge',
    });
    expect(json?.headers[deadLetterHeaders.errorMessage]).toContain('not valid JSON');
    expect(Date.parse(json?.headers[deadLetterHeaders.failedAt] ?? '')).not.toBeNaN();
    expect(missing?.key).toBe(`missing-${marker}`);
    expect(missing?.headers[deadLetterHeaders.errorCode]).toBe(healthErrors.FIELD_MISSING.code);
    expect(missing?.headers[deadLetterHeaders.errorMessage]).toBe('systolic is required');
    expect(JSON.parse(missing?.value.toString() ?? '')).toEqual(missingField);
    expect(range?.key).toBe(`range-${marker}`);
    expect(range?.headers[deadLetterHeaders.errorCode]).toBe(healthErrors.FIELD_OUT_OF_RANGE.code);
    expect(range?.headers[deadLetterHeaders.errorMessage]).toContain('bodyTemperature 98.6');
  });

  it('should dead-letter an oversized payload, cut, with its original size', async () => {
    const marker = randomUUID();
    const huge = Buffer.concat([Buffer.from(marker), Buffer.alloc(200 * 1024, 0x61)]);
    await publish(huge);
    await eventually(() => deadLettersOf(marker).length === 1);
    const [letter] = deadLettersOf(marker);
    expect(letter?.headers[deadLetterHeaders.errorCode]).toBe(bridgeErrors.PAYLOAD_TOO_LARGE.code);
    expect(letter?.headers[payloadTruncatedHeader]).toBe(String(huge.length));
    expect(letter?.value.length).toBe(64 * 1024);
  });

  it("should forward a device's reading from its own topic and dead-letter one it published for another device", async () => {
    const device = await connectAsync(mosquitto().mqttUrl, {
      ...mosquitto().device('monitor-7'),
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    try {
      const marker = randomUUID();
      const stamp = 1_767_225_600_000 + Math.floor(Math.random() * 1_000_000);
      const own = reading({ deviceId: 'monitor-7', timestamp: stamp });
      const forged = reading({ deviceId: `victim-${marker}` });
      await device.publishAsync(deviceReadingsTopic('monitor-7'), JSON.stringify(own), { qos: 1 });
      await device.publishAsync(deviceReadingsTopic('monitor-7'), JSON.stringify(forged), {
        qos: 1,
      });
      await eventually(() => deadLettersOf(`victim-${marker}`).length === 1);
      await eventually(() =>
        forwardedOf('monitor-7').some((r) => JSON.parse(r.value.toString()).timestamp === stamp),
      );
      expect(forwardedOf(`victim-${marker}`)).toEqual([]);
      const [letter] = deadLettersOf(`victim-${marker}`);
      expect(letter?.key).toBe('monitor-7');
      expect(letter?.headers[deadLetterHeaders.errorCode]).toBe(
        bridgeErrors.DEVICE_ID_MISMATCH.code,
      );
      expect(letter?.headers[deadLetterHeaders.originalTopic]).toBe(
        deviceReadingsTopic('monitor-7'),
      );
    } finally {
      await device.endAsync();
    }
  });

  it('should serve readiness (MQTT subscribed, Kafka reachable, writes succeeding) and the counters', async () => {
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(Object.keys(body.checks).sort()).toEqual(
      ['kafka-brokers', 'kafka-consumers', 'kafka-writes', 'mqtt'].sort(),
    );
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    for (const series of [
      'rtp_mqtt_bridge_readings_received_total',
      'rtp_mqtt_bridge_readings_forwarded_total',
      'rtp_mqtt_bridge_readings_dead_lettered_total{code="RTP_ERR_HEALTH_FIELD_MISSING"',
      'rtp_mqtt_bridge_readings_in_flight',
      'rtp_kafka_records_produced_total{topic="device_data"',
    ]) {
      expect(metrics).toContain(series);
    }
    expect(metrics).toMatch(/rtp_mqtt_bridge_readings_forwarded_total\{[^}]*\} [1-9]/);
  });

  it('stop should write and acknowledge everything it took: its session holds nothing afterwards', async () => {
    const deviceId = `dev-${randomUUID()}`;
    const readings = Array.from({ length: 300 }, (_, i) =>
      reading({ deviceId, timestamp: 1_767_225_600_000 + i }),
    );
    const received = async (): Promise<number> => {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      return Number(/rtp_mqtt_bridge_readings_received_total\{[^}]*\} (\d+)/.exec(text)?.[1]);
    };
    const before = await received();
    await Promise.all(readings.map((r) => publish(JSON.stringify(r))));
    // All 300 taken by the bridge (some possibly not yet written): now stop.
    await eventually(async () => (await received()) >= before + 300);
    await bridge.stop();
    expect(forwardedOf(deviceId).length).toBeGreaterThan(0);

    // The same client id and subscription: only what came after the stop may be waiting.
    const redelivery: InboundMessage[] = [];
    const resumed = new MqttReadingSource({
      connection: bridge.source.options.connection,
      clientId: bridge.source.options.clientId,
      filters: bridge.source.options.filters,
    });
    await resumed.start((message) => redelivery.push(message));
    try {
      const sentinel = reading({ deviceId: `sentinel-${randomUUID()}` });
      await publish(JSON.stringify(sentinel));
      await eventually(() => redelivery.length > 0);
      const delivered = redelivery.map((m) => JSON.parse(m.payload.toString()).deviceId);
      // Nothing redelivered: every taken reading was acknowledged after its Kafka write.
      expect(redelivery.filter((m) => m.redelivered)).toEqual([]);
      expect(delivered).not.toContain(deviceId);
      // And all 300 are in Kafka (read back asynchronously).
      const distinctValues = () => new Set(forwardedOf(deviceId).map((r) => r.value.toString()));
      await eventually(() => distinctValues().size === 300, { what: 'the 300 readings in Kafka' });
      resumed.acknowledge(redelivery);
    } finally {
      await resumed.close();
    }
  });
});
