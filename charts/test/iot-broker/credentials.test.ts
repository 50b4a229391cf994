// Generated MQTT credentials: different for each install, kept across `helm upgrade` (lookup),
// taken from auth.existingSecret when one is named.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeKubernetesApi } from '../support/fake-kubernetes-api.js';
import {
  renderChart,
  renderFailure,
  type KubernetesObject,
  type RenderedChart,
} from '../support/render-chart.js';

const chart = 'iot-broker';
const namespace = 'iot';

describe('iot-broker: generated credentials', () => {
  it('generates a different user, password and salt for each install', async () => {
    const [first, second] = await Promise.all([
      renderChart(chart, { namespace, fixtures: ['required'] }),
      renderChart(chart, { namespace, fixtures: ['required'] }),
    ]);
    const a = first.secretData('health-data-mqtt-secret');
    const b = second.secretData('health-data-mqtt-secret');
    expect(a.MQTT_USERNAME).not.toBe(b.MQTT_USERNAME);
    expect(a.MQTT_PASSWORD).not.toBe(b.MQTT_PASSWORD);
    expect(first.secretData('health-data-mqtt-passwd').passwd).not.toBe(
      second.secretData('health-data-mqtt-passwd').passwd,
    );
  });

  // The devices' salts: mosquitto.test.ts (their lines are hashed in the pod).
  it('salts each role user separately', async () => {
    const render = await renderChart(chart, { namespace, fixtures: ['required'] });
    const salts = (render.secretData('health-data-mqtt-passwd').passwd ?? '')
      .trim()
      .split('\n')
      .map((line) => line.split('$')[2]);
    expect(salts).toHaveLength(3);
    expect(new Set(salts).size).toBe(3);
  });
});

describe('iot-broker: credentials across helm upgrade (lookup against a fake API server)', () => {
  let cluster: FakeKubernetesApi;
  let installed: RenderedChart;
  const upgrade = (values: Record<string, unknown>[] = []) =>
    renderChart(chart, { namespace, fixtures: ['required'], values, isUpgrade: true, cluster });

  beforeAll(async () => {
    cluster = await FakeKubernetesApi.start();
    installed = await renderChart(chart, { namespace, fixtures: ['required'], cluster });
    cluster.apply(installed.objects, namespace);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('keeps the user, the password, the password file and the pod checksums', async () => {
    const upgraded = await upgrade();
    for (const secret of [
      'health-data-mqtt-secret',
      'health-data-mqtt-bridge-secret',
      'health-data-mqtt-gateway-secret',
      'health-data-mqtt-passwd',
    ]) {
      expect(upgraded.secretData(secret)).toEqual(installed.secretData(secret));
    }
    const annotations = (render: RenderedChart) =>
      render.podTemplate('StatefulSet', 'health-data-mqtt').metadata.annotations;
    expect(annotations(upgraded)).toEqual(annotations(installed));
  });

  it('keeps the salt of a user whose password changes, and hashes the new password', async () => {
    const chosen = (password: string): KubernetesObject & { data: Record<string, string> } => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ward-9-credentials' },
      data: {
        MQTT_USERNAME: Buffer.from('ward-9').toString('base64'),
        MQTT_PASSWORD: Buffer.from(password).toString('base64'),
      },
    });
    const values = [{ auth: { existingSecret: 'ward-9-credentials' } }];
    const lineOf = (render: RenderedChart) =>
      (render.secretData('health-data-mqtt-passwd').passwd ?? '')
        .split('\n')
        .find((line) => line.startsWith('ward-9:')) ?? '';
    cluster.apply([chosen('first-password-for-the-test')], namespace);
    const first = await upgrade(values);
    cluster.apply(first.objects, namespace);
    cluster.apply([chosen('a-new-password-for-the-test')], namespace);
    const upgraded = await upgrade(values);
    expect(lineOf(first)).toMatch(/^ward-9:\$6\$/);
    expect(lineOf(upgraded).split('$')[2]).toBe(lineOf(first).split('$')[2]);
    expect(lineOf(upgraded)).not.toBe(lineOf(first));
    for (const secret of ['health-data-mqtt-bridge-secret', 'health-data-mqtt-gateway-secret']) {
      expect(upgraded.secretData(secret)).toEqual(installed.secretData(secret));
    }
  });
});

describe('iot-broker: upgrading from a chart that published the first device to applications', () => {
  it('gives applications a user of their own instead of the stored device', async () => {
    const cluster = await FakeKubernetesApi.start();
    try {
      const old: KubernetesObject & { data: Record<string, string> } = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'health-data-mqtt-secret' },
        data: {
          MQTT_USERNAME: Buffer.from('ward-7-monitor').toString('base64'),
          MQTT_PASSWORD: Buffer.from('fixture-device-password-1').toString('base64'),
        },
      };
      cluster.apply([old], namespace);
      const upgraded = await renderChart(chart, {
        namespace,
        fixtures: ['users'],
        isUpgrade: true,
        cluster,
      });
      expect(upgraded.secretData('health-data-mqtt-secret')).toMatchObject({
        MQTT_USERNAME: expect.stringMatching(/^app-[a-z0-9]{8}$/),
        MQTT_PASSWORD: expect.not.stringContaining('fixture-device-password'),
      });
    } finally {
      await cluster.close();
    }
  });
});

describe('iot-broker: auth.existingSecret', () => {
  let cluster: FakeKubernetesApi;
  beforeAll(async () => {
    cluster = await FakeKubernetesApi.start();
    const secret: KubernetesObject & { data: Record<string, string> } = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'gateway-credentials' },
      data: {
        MQTT_USERNAME: Buffer.from('clinic-gateway').toString('base64'),
        MQTT_PASSWORD: Buffer.from('chosen-mqtt-password-0003').toString('base64'),
      },
    };
    cluster.apply([secret], namespace);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('publishes and hashes the user of the existing Secret', async () => {
    const render = await renderChart(chart, {
      namespace,
      fixtures: ['required'],
      values: [{ auth: { existingSecret: 'gateway-credentials' } }],
      cluster,
    });
    expect(render.secretData('health-data-mqtt-secret')).toMatchObject({
      MQTT_USERNAME: 'clinic-gateway',
      MQTT_PASSWORD: 'chosen-mqtt-password-0003',
    });
    expect(render.secretData('health-data-mqtt-passwd').passwd).toMatch(/^clinic-gateway:\$6\$/);
  });

  it('fails, naming the value, when the Secret cannot be read', async () => {
    const message = await renderFailure(chart, {
      namespace,
      fixtures: ['required'],
      values: [{ auth: { existingSecret: 'gateway-credentials' } }],
    });
    expect(message).toContain('auth.existingSecret: Secret "gateway-credentials" was not found');
  });
});
