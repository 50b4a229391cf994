import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NodeService } from '@realtime-platform/local-infra';
import { useKafkaBroker, useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { deviceDataTopic, deviceMqttTopic, runtimeEnv } from '@realtime-platform/platform-contract';
import type { MqttClient } from 'mqtt';
import { eventually, reading, readingId } from '@realtime-platform/testkit';
import { bridgeEnv } from './helpers/bridge-env.js';
import { TopicRecorder, createPipelineTopics } from './helpers/kafka.js';
import { mqttPublisher } from './helpers/mqtt-publisher.js';

/**
 * The built bridge (`dist/main.js`) as its own process, the way a pod runs it: Kafka stopped under
 * it, and the bridge itself killed with SIGKILL mid-stream. At-least-once means: every reading
 * Mosquitto acknowledged to its publisher (PUBACK at QoS 1) ends up in `device_data`.
 */
const kafka = useKafkaBroker();
const mosquitto = useMosquittoBroker();
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let recorder: TopicRecorder;
let publisher: MqttClient;
let bridge: NodeService;

const idsInKafka = (): Set<string> =>
  new Set(
    recorder.of(deviceDataTopic).map((record) => readingId(JSON.parse(record.value.toString()))),
  );

/** A counter or gauge of the bridge's /metrics (0 when absent, NaN when unreachable). */
async function metric(name: string): Promise<number> {
  try {
    const text = await (await fetch(`${bridge.url}/metrics`)).text();
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return Number.NaN;
  }
}

describe('mqtt-bridge process: at-least-once across crashes', () => {
  // Inside the describe: these run before the brokers of useKafkaBroker/useMosquittoBroker stop.
  beforeAll(async () => {
    await createPipelineTopics(kafka());
    recorder = await TopicRecorder.start(kafka(), [deviceDataTopic]);
    publisher = await mqttPublisher(mosquitto());
    bridge = await NodeService.start({
      name: 'mqtt-bridge',
      entry,
      env: bridgeEnv(kafka(), mosquitto(), {
        [runtimeEnv.logLevel]: 'info',
        [runtimeEnv.shutdownTimeoutMs]: '5000',
      }),
    });
  }, 180_000);

  afterAll(async () => {
    await bridge?.stop();
    await publisher?.endAsync();
    await recorder?.stop();
  }, 60_000);

  it('should not acknowledge a reading while Kafka is down, and deliver it once Kafka is back', async () => {
    const deviceId = `dev-${randomUUID()}`;
    await kafka().kill('SIGKILL');
    const whileDown = reading({ deviceId, timestamp: 1_767_225_600_001 });
    await publisher.publishAsync(deviceMqttTopic, JSON.stringify(whileDown), { qos: 1 });
    // The bridge has it and cannot write it: it waits, unacknowledged, and says so.
    await eventually(async () => (await metric('rtp_mqtt_bridge_readings_in_flight')) === 1, {
      what: 'the reading in flight',
    });
    await eventually(async () => (await fetch(`${bridge.url}/health/ready`)).status === 503, {
      what: 'not ready',
    });

    // Proof that it was not acknowledged: the bridge dies holding it; had it sent the PUBACK,
    // Mosquitto would have forgotten the reading and it would be lost now.
    await bridge.kill('SIGKILL');
    await kafka().restart();
    await bridge.restart();
    await eventually(() => idsInKafka().has(readingId(whileDown)), {
      what: 'the reading in device_data',
      timeoutMs: 120_000,
    });
    expect(await metric('rtp_mqtt_bridge_readings_redelivered_total')).toBeGreaterThanOrEqual(1);

    // Kafka down again, the bridge stays up: it retries until Kafka returns, then acknowledges.
    await kafka().kill('SIGKILL');
    const second = reading({ deviceId, timestamp: 1_767_225_600_002 });
    await publisher.publishAsync(deviceMqttTopic, JSON.stringify(second), { qos: 1 });
    await eventually(async () => (await metric('rtp_mqtt_bridge_readings_in_flight')) === 1);
    await kafka().restart();
    await eventually(() => idsInKafka().has(readingId(second)), {
      what: 'the second reading in device_data',
      timeoutMs: 120_000,
    });
    await eventually(async () => (await metric('rtp_mqtt_bridge_readings_in_flight')) === 0);
  }, 400_000);

  it('should deliver every reading Mosquitto acknowledged when the bridge is killed mid-stream', async () => {
    const total = 6000;
    const devices = 50;
    const acknowledged = new Set<string>();
    let killed = false;
    const crash = (async () => {
      await eventually(() => acknowledged.size >= total / 4, { timeoutMs: 120_000 });
      await bridge.kill('SIGKILL');
      killed = true;
      // Readings keep coming while the bridge is down: Mosquitto queues them for its session.
      await eventually(() => acknowledged.size >= total / 2, { timeoutMs: 120_000 });
      await bridge.restart();
    })();

    // 100 publishes in flight at a time; a reading counts once its PUBACK arrived.
    let next = 0;
    const base = 1_767_300_000_000;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const index = next;
        next += 1;
        const value = reading({
          deviceId: `crash-${index % devices}`,
          timestamp: base + index,
          heartRate: 60 + (index % 40),
        });
        await publisher.publishAsync(deviceMqttTopic, JSON.stringify(value), { qos: 1 });
        acknowledged.add(readingId(value));
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    await crash;
    expect(killed).toBe(true);

    await eventually(
      () => {
        const inKafka = idsInKafka();
        return [...acknowledged].every((id) => inKafka.has(id));
      },
      { what: 'every acknowledged reading in device_data', timeoutMs: 180_000 },
    );
    const records = recorder
      .of(deviceDataTopic)
      .filter((record) => record.key?.startsWith('crash-'));
    const distinct = new Set(records.map((r) => readingId(JSON.parse(r.value.toString()))));
    expect(distinct.size).toBe(total);
    // At-least-once: duplicates are allowed (what the dead bridge wrote but never acknowledged).
    console.info(
      `kill -9 mid-stream: ${total} readings acknowledged by Mosquitto, ${distinct.size} distinct in Kafka, ${records.length - distinct.size} duplicates`,
    );
  }, 600_000);
});
