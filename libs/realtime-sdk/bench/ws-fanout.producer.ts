// Worker thread of the fan-out benchmark: produces JSON readings at a given rate through the SDK's
// idempotent producer (acks=all), like a separate producing service would.
import { parentPort, workerData } from 'node:worker_threads';
import {
  createMessageBus,
  jsonCodec,
  type KafkaBusSecurity,
  type KafkaClientName,
} from '@realtime-platform/realtime-sdk';

const { brokers, security, topic, kafkaClient } = workerData as {
  brokers: string;
  security: KafkaBusSecurity;
  topic: string;
  kafkaClient: KafkaClientName;
};
const port = parentPort;
if (port === null) throw new Error('must run as a worker');

const bus = createMessageBus({
  client: kafkaClient,
  brokers: [brokers],
  security,
  clientId: 'bench-producer',
  consumerGroup: 'unused',
  instanceId: 'producer',
});
await bus.connect();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let running = false;
let produced = 0;

async function produce(rate: number): Promise<void> {
  const tickMs = 20;
  let next = Date.now();
  let carry = 0;
  while (running) {
    carry += (rate * tickMs) / 1000;
    const count = Math.floor(carry);
    carry -= count;
    if (count > 0) {
      const batch = Array.from({ length: count }, (_, i) => {
        const deviceId = `d${(produced + i) % 50}`;
        return { key: deviceId, value: { deviceId, bpm: 60 + ((produced + i) % 40), unit: 'bpm' } };
      });
      await bus.publish(topic, batch, jsonCodec());
      produced += count;
    }
    next += tickMs;
    await sleep(Math.max(0, next - Date.now()));
  }
}

/** Ends the worker with `error`, which the bench's `waitFor` rejects with (its 'error' event). */
const crash = (error: unknown): void => {
  setImmediate(() => {
    throw error;
  });
};

let loop: Promise<void> = Promise.resolve();
port.on('message', (message: { type: string; rate?: number }) => {
  if (message.type === 'start') {
    running = true;
    loop = produce(message.rate ?? 100);
  } else if (message.type === 'count') {
    port.postMessage({ type: 'count', produced });
  } else if (message.type === 'stop') {
    running = false;
    loop.then(() => port.postMessage({ type: 'stopped', produced }), crash);
  } else if (message.type === 'close') {
    bus.close().then(() => port.close(), crash);
  }
});
port.postMessage({ type: 'ready' });
