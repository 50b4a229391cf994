import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NodeService } from '@realtime-platform/local-infra';
import { useKafkaBroker, useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { deviceDataTopic, runtimeEnv } from '@realtime-platform/platform-contract';
import { eventually, readingId } from '@realtime-platform/testkit';
import { bridgeEnv } from './helpers/bridge-env.js';
import { CountingPublisher } from './helpers/counting-publisher.js';
import { TopicRecorder, createPipelineTopics, readWholeTopic } from './helpers/kafka.js';

/**
 * The incident of issue 21: Mosquitto killed with SIGKILL while readings flow, restarted on its
 * data directory a few seconds later. The devices (one gateway connection, QoS 1) reconnect and
 * resend first; the bridge (the built `dist/main.js`, its own process) reconnects later. Every
 * reading Mosquitto acknowledged (PUBACK) must reach `device_data`: the broker's short autosave
 * (the contract's broker settings) has the bridge's session on disk, so what arrives before the
 * bridge is back is queued for it instead of being dropped for lack of a subscriber.
 */
const kafka = useKafkaBroker();
// DRILL_AUTOSAVE_SECONDS and DRILL_SHARED_GROUP reproduce the README's comparison figures (the old
// 60 s autosave; a shared subscription, which Mosquitto 2.0 does not restore from its database).
const autosave = process.env.DRILL_AUTOSAVE_SECONDS;
const mosquitto = useMosquittoBroker(
  autosave === undefined ? {} : { settings: { autosaveIntervalSeconds: Number(autosave) } },
);
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const rate = 300;
const outageMs = 5000;

let recorder: TopicRecorder;
let bridge: NodeService;

/** A `rtp_mqtt_bridge_readings_<name>` series of the bridge's /metrics. */
async function bridgeMetric(name: string): Promise<number> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const match = new RegExp(
    `^rtp_mqtt_bridge_readings_${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`,
    'm',
  ).exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

const idsInKafka = (): Set<string> =>
  new Set(
    recorder.of(deviceDataTopic).map((record) => readingId(JSON.parse(record.value.toString()))),
  );

describe('mqtt-bridge with Mosquitto killed (SIGKILL) and restarted on its data directory', () => {
  beforeAll(async () => {
    await createPipelineTopics(kafka());
    recorder = await TopicRecorder.start(kafka(), [deviceDataTopic]);
    bridge = await NodeService.start({
      name: 'mqtt-bridge',
      entry,
      env: bridgeEnv(kafka(), mosquitto(), {
        [runtimeEnv.logLevel]: 'info',
        // One replica, its own (not shared) subscription: the chart's default.
        [runtimeEnv.mqttSharedGroup]: process.env.DRILL_SHARED_GROUP ?? '',
      }),
    });
  }, 180_000);

  afterAll(async () => {
    await bridge?.stop();
    await recorder?.stop();
  });

  it(`loses no acknowledged reading at ${rate} readings/s across a ${outageMs / 1000} s broker outage`, async () => {
    const publisher = await CountingPublisher.start(
      mosquitto().mqttUrl,
      mosquitto().credentials.gateway,
    );
    publisher.run(rate, 50);
    // Readings flowing end to end before the crash.
    await eventually(() => idsInKafka().size >= rate * 3, { what: '3 s of readings in Kafka' });

    const acknowledgedBeforeKill = publisher.counts().acknowledged;
    await mosquitto().kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await mosquitto().restart();
    const restartedAt = Date.now();
    const inKafkaAtRestart = idsInKafka().size;
    await eventually(() => idsInKafka().size > inKafkaAtRestart, { what: 'a new record' });
    const firstNewRecordS = (Date.now() - restartedAt) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const counts = await publisher.stop();
    const acknowledged = [...counts.acknowledgedIds];
    // Drained: every reading the bridge received is written (or it never will be).
    await eventually(async () => (await bridgeMetric('in_flight')) === 0, { what: 'drained' });
    const all = await readWholeTopic(kafka(), deviceDataTopic);
    const inKafka = new Set(all.map((record) => readingId(JSON.parse(record.value.toString()))));
    const lost = acknowledged.filter((id) => !inKafka.has(id));
    const records = all.length;
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    const bridgeCounts = metrics
      .split('\n')
      .filter((line) =>
        /^rtp_mqtt_bridge_readings_(received|forwarded|in_flight|redelivered)/.test(line),
      )
      .join('; ');
    console.log(
      [
        `Mosquitto kill -9 drill at ${rate} readings/s, broker down ${(restartedAt - killedAt) / 1000} s:`,
        `published ${counts.published}, acknowledged ${counts.acknowledged} (${acknowledgedBeforeKill} before the kill),`,
        `distinct in device_data ${inKafka.size} (${records} records, ${records - inKafka.size} duplicates),`,
        `lost ${lost.length}, first new record ${firstNewRecordS.toFixed(1)} s after the restart`,
        `(bridge: ${bridgeCounts})`,
      ].join(' '),
    );
    expect(counts.acknowledged).toBeGreaterThan(rate * 5);
    expect(lost).toEqual([]);
  }, 240_000);
});
