// The rendered mosquitto.conf and password file on a real Mosquitto (Debian's 2.0.x), and clients
// logging in with the rendered credentials over MQTT and WebSockets.
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  freePort,
  makeRunDir,
  ManagedProcess,
  waitUntilReady,
} from '@realtime-platform/local-infra';
import { mosquittoBinary } from '@realtime-platform/toolchain';
import { connectAsync, type MqttClient } from 'mqtt';
import { renderChart, type RenderedChart } from '../support/render-chart.js';

const chart = 'iot-broker';

interface RunningBroker {
  mqttUrl: string;
  wsUrl: string;
  config: string;
  process: ManagedProcess;
}

/** Mosquitto's own user when we are root (it drops to it and must read its files), else us. */
function mosquittoUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('mosquitto:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Starts Mosquitto with the rendered files. The configuration is used verbatim except for what
 * only makes sense inside the pod: the two listener lines get a free port and 127.0.0.1 (fixed
 * ports on all interfaces would collide with parallel suites), and the password file and
 * persistence paths point into a run directory (the pod mounts them under /mosquitto).
 */
async function startRenderedBroker(render: RenderedChart): Promise<RunningBroker> {
  const dir = makeRunDir('mosquitto-rendered');
  const [mqttPort, wsPort] = [await freePort(), await freePort()];
  const rendered = render.configMapData('health-data-mqtt-config')['mosquitto.conf'] ?? '';
  const config = rendered
    .replace(/^listener 1883$/m, `listener ${mqttPort} 127.0.0.1`)
    .replace(/^listener 9001$/m, `listener ${wsPort} 127.0.0.1`)
    .replace(/^password_file \/mosquitto\/auth\/passwd$/m, `password_file ${join(dir, 'passwd')}`)
    .replace(
      /^persistence_location \/mosquitto\/data\/$/m,
      `persistence_location ${join(dir, 'data')}/`,
    );
  // Exactly four lines changed; everything else is the rendered file.
  const changed = config.split('\n').filter((line, i) => line !== rendered.split('\n')[i]);
  expect(changed).toHaveLength(4);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'mosquitto.conf'), config);
  writeFileSync(join(dir, 'passwd'), render.secretData('health-data-mqtt-passwd').passwd ?? '');
  chmodSync(join(dir, 'passwd'), 0o640);
  const user = mosquittoUser();
  if (user)
    for (const path of [dir, join(dir, 'data'), join(dir, 'passwd')])
      chownSync(path, user.uid, user.gid);
  const broker = new ManagedProcess({
    service: 'mosquitto',
    command: mosquittoBinary(),
    args: ['-c', join(dir, 'mosquitto.conf')],
    logFile: join(dir, 'mosquitto.log'),
    ...(user ? { runAs: user } : {}),
  });
  const credentials = render.secretData('health-data-mqtt-secret');
  const running = {
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    wsUrl: `ws://127.0.0.1:${wsPort}/mqtt`,
    config,
    process: broker,
  };
  await waitUntilReady({
    process: broker,
    timeoutMs: 20_000,
    probe: async () => {
      const client = await login(
        running.mqttUrl,
        credentials.MQTT_USERNAME,
        credentials.MQTT_PASSWORD,
      );
      await client.endAsync();
      return true;
    },
  });
  return running;
}

function login(url: string, username?: string, password?: string): Promise<MqttClient> {
  return connectAsync(url, {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    reconnectPeriod: 0,
    connectTimeout: 3_000,
  });
}

async function refusal(url: string, username?: string, password?: string): Promise<string> {
  try {
    const client = await login(url, username, password);
    await client.endAsync();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${url} accepted ${username ?? 'an anonymous client'}`);
}

describe('iot-broker: the rendered files on a real Mosquitto, with a generated user', () => {
  let render: RenderedChart;
  let broker: RunningBroker;
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['required'] });
    broker = await startRenderedBroker(render);
  }, 30_000);
  afterAll(async () => {
    await broker?.process.stop();
  });

  it('accepts the published user on MQTT and on WebSockets, and delivers at QoS 1', async () => {
    const { MQTT_USERNAME, MQTT_PASSWORD } = render.secretData('health-data-mqtt-secret');
    const subscriber = await login(broker.wsUrl, MQTT_USERNAME, MQTT_PASSWORD);
    const publisher = await login(broker.mqttUrl, MQTT_USERNAME, MQTT_PASSWORD);
    try {
      await subscriber.subscribeAsync('health/device_data', { qos: 1 });
      const received = new Promise<string>((resolve) =>
        subscriber.once('message', (_topic, payload) => resolve(payload.toString('utf8'))),
      );
      await publisher.publishAsync('health/device_data', '{"deviceId":"d-1","heartRate":72}', {
        qos: 1,
      });
      await expect(received).resolves.toBe('{"deviceId":"d-1","heartRate":72}');
    } finally {
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    }
  });

  it('refuses anonymous clients, wrong passwords and unknown users', async () => {
    const { MQTT_USERNAME, MQTT_PASSWORD } = render.secretData('health-data-mqtt-secret');
    expect(await refusal(broker.mqttUrl)).toMatch(/Not authorized/);
    expect(await refusal(broker.wsUrl)).toMatch(/Not authorized/);
    expect(await refusal(broker.mqttUrl, MQTT_USERNAME, `${MQTT_PASSWORD}x`)).toMatch(
      /Not authorized/,
    );
    expect(await refusal(broker.mqttUrl, 'intruder', MQTT_PASSWORD)).toMatch(/Not authorized/);
  });

  it('starts with Nagle off and no other change to the rendered configuration', () => {
    expect(broker.config).toContain('\nset_tcp_nodelay true\n');
  });
});

describe('iot-broker: the rendered files on a real Mosquitto, with users from values', () => {
  let render: RenderedChart;
  let broker: RunningBroker;
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['users'] });
    broker = await startRenderedBroker(render);
  }, 30_000);
  afterAll(async () => {
    await broker?.process.stop();
  });

  it('lets every user of auth.users log in with its password', async () => {
    for (const [user, password] of [
      ['ward-7-monitor', 'fixture-device-password-1'],
      ['ward-8-monitor', 'fixture-device-password-2'],
    ]) {
      const client = await login(broker.mqttUrl, user, password);
      await client.endAsync();
    }
    expect(await refusal(broker.mqttUrl, 'ward-8-monitor', 'fixture-device-password-1')).toMatch(
      /Not authorized/,
    );
  });
});

describe('iot-broker: the $6$ hash written by the template', () => {
  it.each([
    ['a short password', 'p'],
    ['a 32-character generated password', 'Qm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEy'],
    ['punctuation and UTF-8', 'pässwörd with spaces & "quotes"'],
  ])('equals salted SHA-512 in base64 for %s', async (_case, password) => {
    const render = await renderChart(chart, {
      namespace: 'iot',
      values: [{ name: 'health-data', auth: { users: [{ username: 'device', password }] } }],
    });
    const line = (render.secretData('health-data-mqtt-passwd').passwd ?? '').trim();
    const [, type, salt, hash] = line.split('$');
    expect(type).toBe('6');
    const saltText = Buffer.from(salt ?? '', 'base64').toString('utf8');
    expect(saltText).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(hash).toBe(
      createHash('sha512')
        .update(password + saltText)
        .digest('base64'),
    );
  });
});
