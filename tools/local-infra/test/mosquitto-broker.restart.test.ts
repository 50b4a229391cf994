// kill -9 and restart on the same data directory: what Mosquitto saved (the contract's short
// autosave) survives, so a persistent session keeps its subscription and its queued readings.
import { describe, expect, it } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect, connectAsync, type IConnackPacket, type MqttClient } from 'mqtt';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import { useMosquittoBroker } from '../src/jest/index.js';

const mosquitto = useMosquittoBroker();

interface Session {
  readonly client: MqttClient;
  /** CONNACK's session present flag: the broker still had this client id's session. */
  readonly present: boolean;
  /** Payloads received, from the first packet on (queued ones come right after CONNACK). */
  readonly received: string[];
}

/** A persistent MQTT 5 session under a fixed client id, like the bridge's. */
async function bridgeSession(clientId: string): Promise<Session> {
  const client = connect(mosquitto().mqttUrl, {
    ...mosquitto().credentials.bridge,
    clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 0,
  });
  const received: string[] = [];
  client.on('message', (_topic, payload) => received.push(payload.toString()));
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  return { client, present: connack.sessionPresent, received };
}

/** Resolves once Mosquitto has written its database after `since` (waits on the file, not a timer). */
async function savedAfter(since: number): Promise<void> {
  const file = join(mosquitto().dataDir, 'mosquitto.db');
  const deadline = Date.now() + 15_000;
  while (!(existsSync(file) && statSync(file).mtimeMs > since)) {
    if (Date.now() > deadline) throw new Error(`${file} not saved after ${since}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function publishReadings(count: number, tag: string): Promise<void> {
  const gateway = await connectAsync(mosquitto().mqttUrl, {
    ...mosquitto().credentials.gateway,
    reconnectPeriod: 0,
  });
  try {
    for (let n = 0; n < count; n += 1) {
      await gateway.publishAsync(deviceMqttTopic, `${tag}-${n}`, { qos: 1 });
    }
  } finally {
    await gateway.endAsync();
  }
}

async function receive(session: Session, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (session.received.length < count) {
    if (Date.now() > deadline) throw new Error(`received only ${session.received.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return session.received;
}

describe('MosquittoBroker kill -9 and restart on the same data directory', () => {
  it("keeps a saved session's subscription: readings published right after the restart are queued for it", async () => {
    const subscribedAt = Date.now();
    const first = await bridgeSession('bridge-restart-1');
    await first.client.subscribeAsync(deviceMqttTopic, { qos: 1 });
    await first.client.endAsync();
    await savedAfter(subscribedAt);

    await mosquitto().kill('SIGKILL');
    await mosquitto().restart();
    // Devices reconnect first, before the bridge: the incident of the drill.
    await publishReadings(3, 'after-restart');

    const again = await bridgeSession('bridge-restart-1');
    expect(again.present).toBe(true);
    expect(await receive(again, 3)).toEqual([
      'after-restart-0',
      'after-restart-1',
      'after-restart-2',
    ]);
    await again.client.endAsync();
  });

  it('keeps the readings queued for an absent session once they were saved', async () => {
    const first = await bridgeSession('bridge-restart-2');
    await first.client.subscribeAsync(deviceMqttTopic, { qos: 1 });
    await first.client.endAsync();
    const publishedAt = Date.now();
    await publishReadings(5, 'queued');
    await savedAfter(publishedAt);

    const pidBefore = mosquitto().pid;
    await mosquitto().kill('SIGKILL');
    expect(mosquitto().running).toBe(false);
    await mosquitto().restart();
    expect(mosquitto().pid).not.toBe(pidBefore);

    const again = await bridgeSession('bridge-restart-2');
    expect(await receive(again, 5)).toEqual([0, 1, 2, 3, 4].map((n) => `queued-${n}`));
    await again.client.endAsync();
  });

  it('does not restore a shared ($share) subscription: why the bridge subscribes on its own by default', async () => {
    const subscribedAt = Date.now();
    const first = await bridgeSession('bridge-restart-3');
    await first.client.subscribeAsync(`$share/bridges/${deviceMqttTopic}`, { qos: 1 });
    await first.client.endAsync();
    await savedAfter(subscribedAt);

    await mosquitto().kill('SIGKILL');
    await mosquitto().restart();
    await publishReadings(3, 'unshared');

    // The session comes back, its shared subscription does not: the readings were dropped.
    const again = await bridgeSession('bridge-restart-3');
    expect(again.present).toBe(true);
    await publishReadings(1, 'while-connected');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(again.received).toEqual([]);
    await again.client.endAsync();
  });
});
