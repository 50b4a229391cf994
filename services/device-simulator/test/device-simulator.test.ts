import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseReading } from '@realtime-platform/health-domain';
import { NodeService } from '@realtime-platform/local-infra';
import { useMosquittoBroker } from '@realtime-platform/local-infra/jest';
import { runtimeEnv } from '@realtime-platform/platform-contract';
import { connectAsync, type MqttClient } from 'mqtt';
import { eventually } from '@realtime-platform/testkit';
import { DeviceSimulatorService } from '../src/composition-root.js';
import { startSimulation } from '../src/infrastructure/simulation.launcher.js';
import { simulatorEnv } from './helpers/simulator-env.js';

const mosquitto = useMosquittoBroker();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const connection = () => ({
  url: mosquitto().mqttUrl,
  username: mosquitto().user.username,
  password: mosquitto().user.password,
});

/**
 * A QoS 1 subscriber that keeps every payload it gets on `topic`. Each test has a topic of its own
 * under `app/`, the area the applications' user of the mqtt secret may use (the platform's ACL);
 * `rtp simulate` publishes to the real readings topic as a gateway (tools/cli tests).
 */
async function listen(topic: string): Promise<Buffer[]> {
  const received: Buffer[] = [];
  const client: MqttClient = await connectAsync(mosquitto().mqttUrl, {
    ...connection(),
    clientId: `listener-${randomUUID()}`,
    reconnectPeriod: 0,
  });
  cleanups.push(() => client.endAsync());
  client.on('message', (_topic, payload) => received.push(payload));
  await client.subscribeAsync(topic, { qos: 1 });
  return received;
}

describe('device-simulator (real Mosquitto)', () => {
  it('should publish devices × readings with exactly the expected distinct device ids', async () => {
    const topic = `app/health/${randomUUID()}`;
    const received = await listen(topic);
    const simulation = await startSimulation({
      devices: 20,
      rate: 2000,
      limit: 2000,
      connections: 2,
      topic,
      connection: connection(),
    });
    cleanups.push(() => simulation.stop());
    const report = await simulation.done;
    expect(report).toMatchObject({ published: 2000, acknowledged: 2000, failed: 0 });
    expect(report.achievedRate).toBeGreaterThan(0);
    await eventually(() => received.length === 2000, { what: '2000 readings' });

    const perDevice = new Map<string, number>();
    const ids = new Set<string>();
    for (const payload of received) {
      const parsed = parseReading(payload);
      if (!parsed.ok) throw new Error(`invalid reading: ${parsed.reason}`);
      perDevice.set(parsed.reading.deviceId, (perDevice.get(parsed.reading.deviceId) ?? 0) + 1);
      ids.add(`${parsed.reading.deviceId}@${parsed.reading.timestamp}`);
    }
    expect([...perDevice.keys()].sort()).toEqual([...simulation.deviceIds].sort());
    expect(perDevice.size).toBe(20);
    expect(new Set(perDevice.values())).toEqual(new Set([100]));
    expect(ids.size).toBe(2000);
  });

  it('should send the asked share of malformed readings, as counted in its report', async () => {
    const topic = `app/health/${randomUUID()}`;
    const received = await listen(topic);
    const simulation = await startSimulation({
      devices: 5,
      rate: 5000,
      limit: 1000,
      malformedRatio: 0.2,
      seed: 3,
      topic,
      connection: connection(),
    });
    cleanups.push(() => simulation.stop());
    const report = await simulation.done;
    await eventually(() => received.length === 1000);
    const invalid = received.filter((payload) => !parseReading(payload).ok).length;
    const reported = Object.values(report.malformed).reduce((a, b) => a + b, 0);
    expect(invalid).toBe(reported);
    expect(invalid).toBeGreaterThan(150);
    expect(invalid).toBeLessThan(250);
  });

  it('as a service, should publish, serve readiness and its counters, and stop on request', async () => {
    const topic = `app/health/${randomUUID()}`;
    const received = await listen(topic);
    const service = new DeviceSimulatorService({
      env: simulatorEnv(mosquitto(), { [runtimeEnv.mqttTopic]: topic }),
      args: { devices: 3, rate: 200 },
    });
    cleanups.push(() => service.stop());
    const url = await service.start();
    await eventually(() => received.length >= 50);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/rtp_simulator_readings_acknowledged_total\{[^}]*\} [1-9]/);
    expect(metrics).toContain('rtp_simulator_achieved_rate');
    expect(metrics).toContain('rtp_simulator_readings_malformed_total{kind="bad-json"');
    const report = await service.stop();
    expect(report?.acknowledged).toBeGreaterThanOrEqual(50);
    expect(report?.inFlight).toBe(0);
  });

  it('should run as `node dist/main.js --devices 3 --rate 20` and drain on SIGTERM', async () => {
    const topic = `app/health/${randomUUID()}`;
    const received = await listen(topic);
    const service = await NodeService.start({
      name: 'device-simulator',
      entry: fileURLToPath(new URL('./fixtures/main-with-arguments.js', import.meta.url)),
      env: simulatorEnv(mosquitto(), {
        [runtimeEnv.mqttTopic]: topic,
        [runtimeEnv.logLevel]: 'info',
      }),
    });
    cleanups.push(() => service.stop());
    await eventually(() => received.length >= 6);
    const devices = new Set(
      received.map((payload) => JSON.parse(payload.toString()).deviceId as string),
    );
    expect(devices.size).toBe(3);
    await service.stop();
    expect(await service.exited).toEqual({ exitCode: 0, signal: null });
  });
});
