// An MQTT probe (its own process). Over Mosquitto's WebSocket listener it is the realtime path's
// baseline, what a browser could do without the platform: subscribe
// to the devices' MQTT topic (mqtt.js over ws, QoS 1, as the
// devices publish). Each message's delay is receipt time minus the reading's `timestamp`.
// Over TCP (mqtt://) it is the raw Mosquitto QoS 1 subscriber of the pipeline's baseline: its
// sample count over the wall time is the MQTT leg's own rate.
// Env: PROBE_URL (ws://… or mqtt://…), PROBE_USERNAME, PROBE_PASSWORD, PROBE_TOPIC.
import mqtt from 'mqtt';
import { ready, serveProbe } from './probe.protocol.js';

const client = mqtt.connect(process.env.PROBE_URL ?? '', {
  username: process.env.PROBE_USERNAME,
  password: process.env.PROBE_PASSWORD,
  protocolVersion: 5,
  clean: true,
  reconnectPeriod: 0,
});
const probe = serveProbe(
  () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
);

const marker = Buffer.from('"timestamp":');
client.on('message', (_topic, payload: Buffer) => {
  const receivedAt = Date.now();
  const at = payload.indexOf(marker);
  if (at < 0) return;
  let end = at + marker.length;
  while (end < payload.length && payload[end] !== 0x2c && payload[end] !== 0x7d) end += 1;
  probe.sample(receivedAt - Number(payload.toString('latin1', at + marker.length, end)));
});
client.once('connect', () => {
  client.subscribe(process.env.PROBE_TOPIC ?? '', { qos: 1 }, (error) => {
    if (error) {
      console.error(`mqtt probe: ${error.message}`);
      process.exit(1);
    }
    ready();
  });
});
client.on('error', (error) => {
  console.error(`mqtt probe: ${error.message}`);
  process.exit(1);
});
