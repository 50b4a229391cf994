import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';

const rtp = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('rtp simulate', () => {
  const mosquitto = useMosquittoBroker();

  it('publishes the requested readings from N devices to the platform topic, credentials from an env file', async () => {
    // The simulator publishes as a gateway (gateway.env of `rtp dev`); the bridge's user watches.
    const { mqttUrl, credentials } = mosquitto();
    const user = credentials.gateway;
    const envFile = join(mkdtempSync(join(tmpdir(), 'rtp-simulate-')), 'gateway.env');
    writeFileSync(
      envFile,
      `MQTT_URL=${mqttUrl}\nMQTT_USERNAME=${user.username}\nMQTT_PASSWORD=${user.password}\n`,
      {
        mode: 0o600,
      },
    );
    const watcher = await connectAsync(mqttUrl, { ...credentials.bridge, reconnectPeriod: 0 });
    const readings: { deviceId: string }[] = [];
    watcher.on('message', (_topic, payload) =>
      readings.push(JSON.parse(payload.toString()) as { deviceId: string }),
    );
    await watcher.subscribeAsync(deviceMqttTopic, { qos: 1 });
    try {
      const result = await execa(
        'node',
        [rtp, 'simulate', '--devices', '3', '--rate', '60', '--count', '30', '--env-file', envFile],
        {
          reject: false,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/30 readings acknowledged/);
      for (let waited = 0; readings.length < 30 && waited < 100; waited++)
        await new Promise((r) => setTimeout(r, 100));
      expect(readings).toHaveLength(30);
      expect(new Set(readings.map((reading) => reading.deviceId)).size).toBe(3);
    } finally {
      await watcher.endAsync();
    }
  });

  it('exits 2 naming what is missing when no MQTT credentials are given', async () => {
    const result = await execa('node', [rtp, 'simulate', '--devices', '1', '--rate', '1'], {
      reject: false,
      env: { MQTT_URL: '', MQTT_USERNAME: '', MQTT_PASSWORD: '' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD not set/);
  });
});
