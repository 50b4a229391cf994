// Worker thread of the fan-out benchmark: opens N WebSocket clients, subscribes them, counts the
// frames they receive and samples the produce→receipt delay. Runs on its own thread so the hub's
// event loop is not the one reading.
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

interface Setup {
  url: string;
  token: string;
  topic: string;
  clients: number;
  /** Every `sampleEvery`-th client records delays (the others only count). */
  sampleEvery: number;
}

const setup = workerData as Setup;
const port = parentPort;
if (port === null) throw new Error('must run as a worker');

let frames = 0;
let gaps = 0;
let closed = 0;
let delays: number[] = [];
let measuring = false;

function open(index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(setup.url, ['bearer', setup.token]);
    const sampled = index % setup.sampleEvery === 0;
    ws.on('message', (data: Buffer) => {
      if (!measuring) return;
      frames += 1;
      // The envelope starts {"v":1,"type":"data"…: read `ts` without parsing the whole frame.
      if (data[15] !== 0x64 /* d of "data" */) {
        if (data.includes('"type":"gap"')) gaps += 1;
        return;
      }
      if (sampled) {
        const at = data.indexOf('"ts":');
        const end = data.indexOf(',', at);
        delays.push(Date.now() - Number(data.toString('latin1', at + 5, end)));
      }
    });
    ws.on('close', () => {
      closed += 1;
    });
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', topic: setup.topic }));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/** Connects with a few retries: 1,000 handshakes on a loaded 2-core machine can see resets. */
async function openWithRetry(index: number): Promise<WebSocket> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await open(index);
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

const sockets: WebSocket[] = [];
for (let i = 0; i < setup.clients; i += 100) {
  sockets.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(100, setup.clients - i) }, (_, j) => openWithRetry(i + j)),
    )),
  );
}
port.postMessage({ type: 'ready' });

port.on('message', (message: { type: string }) => {
  if (message.type === 'start') {
    frames = 0;
    gaps = 0;
    delays = [];
    measuring = true;
  } else if (message.type === 'stop') {
    measuring = false;
    port.postMessage({ type: 'result', frames, gaps, closed, delays });
  } else if (message.type === 'close') {
    for (const ws of sockets) ws.terminate();
    port.close();
  }
});
