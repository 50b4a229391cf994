import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker, MosquittoBroker, PostgresServer } from '@realtime-platform/local-infra';
import { parseClaimSpec, planTopics, deviceMqttTopic } from '@realtime-platform/platform-contract';
import { StepReporter } from '../terminal/step-reporter.js';

export interface DevOptions {
  /** Platform name used for the printed secret names. */
  name: string;
}

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * `rtp dev`: the local platform. Starts real servers on loopback (the same ones the tests use),
 * creates the platform's topics, prints endpoints and generated credentials, and on Ctrl-C stops
 * everything it started.
 */
export async function runDev(options: DevOptions): Promise<void> {
  const progress = new StepReporter();
  const started: Stoppable[] = [];
  const stopAll = async (): Promise<void> => {
    for (const server of started.reverse()) await server.stop().catch(() => undefined);
  };
  try {
    const spec = parseClaimSpec({ name: options.name });
    const kafka = await progress.step('Kafka 3.9 (KRaft)', () => KafkaBroker.start());
    started.push(kafka);
    const mqtt = await progress.step('Mosquitto (authentication on)', () =>
      MosquittoBroker.start(),
    );
    started.push(mqtt);
    const postgres = await progress.step('PostgreSQL', () =>
      PostgresServer.start({ databases: ['realtime'] }),
    );
    started.push(postgres);
    const topics = planTopics(spec);
    await progress.step(`${topics.length} topics`, async () => {
      const admin = new Kafka({
        clientId: 'rtp-dev',
        brokers: [kafka.bootstrapServers],
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: topics.map((topic) => ({
            topic: topic.name,
            numPartitions: topic.partitions,
            configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
          })),
        });
      } finally {
        await admin.disconnect();
      }
    });

    console.log(`
realtime platform "${spec.name}" is running (${progress.elapsedSeconds}s). Ctrl-C stops it.

  Kafka bootstrap     ${kafka.bootstrapServers}
  MQTT                ${mqtt.mqttUrl}   (devices publish to ${deviceMqttTopic})
  MQTT WebSockets     ${mqtt.wsUrl}
  MQTT user           ${mqtt.user.username} / ${mqtt.user.password}   (generated for this run)
  PostgreSQL          ${postgres.connectionString('realtime').replace(encodeURIComponent(postgres.password), '****')}
  PostgreSQL password ${postgres.password}   (generated for this run)
  Topics              ${topics
    .filter((t) => t.role !== 'dlq')
    .map((t) => t.name)
    .join(', ')} (+ .dlq each)
  Logs                ${kafka.runDir}, ${mqtt.runDir}, ${postgres.runDir}
`);
    await waitForStopSignal();
    console.log('stopping…');
  } finally {
    await stopAll();
  }
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
