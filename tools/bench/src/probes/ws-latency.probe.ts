// A latency probe (its own process): one WebSocket client of realtime-service subscribed to the
// vital topics for every device; each data frame's delay is receipt time minus the frame's `ts`,
// the reading's own timestamp (set by the simulator when it published the reading). Reads `ts`
// with indexOf, without parsing the frame, so sampling costs the probe little.
// Env: PROBE_URL (ws://…/ws), PROBE_TOKEN (JWT), PROBE_TOPICS (comma-separated).
import WebSocket from 'ws';
import { ready, serveProbe } from './probe.protocol.js';

const url = process.env.PROBE_URL ?? '';
const topics = (process.env.PROBE_TOPICS ?? '').split(',').filter(Boolean);
const socket = new WebSocket(url, {
  headers: { authorization: `Bearer ${process.env.PROBE_TOKEN}` },
});
const probe = serveProbe(() => socket.close());

const dataMarker = Buffer.from('"type":"data"');
const tsMarker = Buffer.from('"ts":');
let acknowledged = 0;
socket.on('message', (raw: Buffer) => {
  const receivedAt = Date.now();
  if (raw.indexOf(dataMarker) < 0) {
    if (raw.includes('"type":"ack"')) acknowledged += 1;
    if (acknowledged === topics.length) {
      acknowledged += 1;
      ready();
    }
    return;
  }
  const at = raw.indexOf(tsMarker);
  if (at < 0) return;
  let end = at + tsMarker.length;
  while (end < raw.length && raw[end] !== 0x2c /* , */ && raw[end] !== 0x7d /* } */) end += 1;
  probe.sample(receivedAt - Number(raw.toString('latin1', at + tsMarker.length, end)));
});
socket.once('open', () => {
  for (const topic of topics) socket.send(JSON.stringify({ type: 'subscribe', topic, id: topic }));
});
socket.once('error', (error) => {
  console.error(`ws probe: ${error.message}`);
  process.exit(1);
});
