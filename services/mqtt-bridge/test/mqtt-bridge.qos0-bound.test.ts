import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NodeService } from '@realtime-platform/local-infra';
import { useKafkaBroker, useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { deviceDataTopic, deviceMqttTopic, runtimeEnv } from '@realtime-platform/platform-contract';
import type { MqttClient } from 'mqtt';
import { eventually, reading, readingId } from '@realtime-platform/testkit';
import { bridgeEnv } from './helpers/bridge-env.js';
import { createPipelineTopics, readWholeTopic } from './helpers/kafka.js';
import { mqttPublisher } from './helpers/mqtt-publisher.js';

/**
 * The bridge's QoS 0 bound on the real servers: Kafka killed, QoS 0 readings keep coming (the
 * broker does not hold them back at the receive maximum as it does QoS 1), and the bridge process
 * holds at most RTP_MQTT_QOS0_QUEUE_LIMIT of them, dropping the oldest with a count and a coded
 * log line. Once Kafka is back the newest ones arrive.
 */
const kafka = useKafkaBroker();
const mosquitto = useMosquittoBroker();
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const limit = 200;
const sent = 1500;

let publisher: MqttClient;
let bridge: NodeService;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('mqtt-bridge process: QoS 0 readings while Kafka is down', () => {
  beforeAll(async () => {
    await createPipelineTopics(kafka());
    publisher = await mqttPublisher(mosquitto());
    bridge = await NodeService.start({
      name: 'mqtt-bridge',
      entry,
      env: bridgeEnv(kafka(), mosquitto(), {
        [runtimeEnv.logLevel]: 'info',
        [runtimeEnv.mqttQos0QueueLimit]: String(limit),
      }),
    });
  }, 180_000);

  afterAll(async () => {
    await bridge?.stop();
    await publisher?.endAsync();
  }, 60_000);

  it(`holds at most ${limit} of them, drops the oldest with a count and a coded line, and forwards the newest once Kafka is back`, async () => {
    await kafka().kill('SIGKILL');
    // A QoS 1 reading first: its write fails and is retried, so every QoS 0 one waits behind it.
    const probe = reading({ deviceId: 'qos1-probe', timestamp: 1_767_399_999_999 });
    await publisher.publishAsync(deviceMqttTopic, JSON.stringify(probe), { qos: 1 });
    await eventually(async () => (await metric('rtp_mqtt_bridge_kafka_write_failures_total')) > 0, {
      what: 'a failing Kafka write',
    });
    const base = 1_767_400_000_000;
    for (let n = 0; n < sent; n += 1) {
      const value = reading({ deviceId: `qos0-${n % 10}`, timestamp: base + n });
      await publisher.publishAsync(deviceMqttTopic, JSON.stringify(value), { qos: 0 });
    }
    await eventually(
      async () => (await metric('rtp_mqtt_bridge_readings_received_total')) === sent + 1,
      { what: 'every reading received by the bridge' },
    );
    expect(await metric('rtp_mqtt_bridge_qos0_dropped_total')).toBe(sent - limit);
    expect(readFileSync(bridge.logFile, 'utf8')).toContain('RTP_ERR_BRIDGE_QOS0_DROPPED');

    await kafka().restart();
    await eventually(async () => (await metric('rtp_mqtt_bridge_readings_in_flight')) === 0, {
      what: 'the held readings written',
      timeoutMs: 120_000,
    });
    const ids = new Set(
      (await readWholeTopic(kafka(), deviceDataTopic)).map((record) =>
        readingId(JSON.parse(record.value.toString())),
      ),
    );
    expect(ids.size).toBe(1 + limit);
    expect(ids.has(readingId(probe))).toBe(true);
    // The newest `limit` readings arrived: the oldest were the ones dropped.
    for (let n = sent - limit; n < sent; n += 1) {
      expect(ids.has(readingId({ deviceId: `qos0-${n % 10}`, timestamp: base + n }))).toBe(true);
    }
  }, 300_000);
});
