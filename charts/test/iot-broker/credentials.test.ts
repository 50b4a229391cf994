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

/** The broker pod's checksum/passwd: what restarts it when a user's password changes. */
const checksumOfPasswd = (render: RenderedChart): string | undefined =>
  render.podTemplate('StatefulSet', 'health-data-mqtt').metadata.annotations?.['checksum/passwd'];

describe('iot-broker: generated credentials', () => {
  it("generates a different user and password for each install, and the pod's checksum follows them", async () => {
    const [first, second] = await Promise.all([
      renderChart(chart, { namespace, fixtures: ['required'] }),
      renderChart(chart, { namespace, fixtures: ['required'] }),
    ]);
    const a = first.secretData('health-data-mqtt-secret');
    const b = second.secretData('health-data-mqtt-secret');
    expect(a.MQTT_USERNAME).not.toBe(b.MQTT_USERNAME);
    expect(a.MQTT_PASSWORD).not.toBe(b.MQTT_PASSWORD);
    expect(checksumOfPasswd(first)).not.toBe(checksumOfPasswd(second));
  });
  // Every user's salt (roles and devices) is mosquitto_passwd's, in the pod: mosquitto.test.ts.
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

  // The pod hashes the new password (mosquitto.test.ts logs in with a Secret's password).
  it("restarts the broker when a user's password changes, and hands the pod the new one", async () => {
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
    cluster.apply([chosen('first-password-for-the-test')], namespace);
    const first = await upgrade(values);
    cluster.apply(first.objects, namespace);
    const again = await upgrade(values);
    cluster.apply([chosen('a-new-password-for-the-test')], namespace);
    const upgraded = await upgrade(values);
    expect(first.secretData('health-data-mqtt-secret')).toMatchObject({
      MQTT_USERNAME: 'ward-9',
      MQTT_PASSWORD: 'first-password-for-the-test',
    });
    expect(upgraded.secretData('health-data-mqtt-secret')).toMatchObject({
      MQTT_USERNAME: 'ward-9',
      MQTT_PASSWORD: 'a-new-password-for-the-test',
    });
    // The init container reads the app role's login from that Secret.
    const appSource = (render: RenderedChart) =>
      (
        render.podTemplate('StatefulSet', 'health-data-mqtt').spec.volumes as {
          name: string;
          projected?: { sources: { secret: { name: string } }[] };
        }[]
      ).find((volume) => volume.name === 'roles')?.projected?.sources[0]?.secret.name;
    expect(appSource(upgraded)).toBe('health-data-mqtt-secret');
    // Unchanged password: the same checksum (no restart); a new one: a new checksum (restart).
    expect(checksumOfPasswd(again)).toBe(checksumOfPasswd(first));
    expect(checksumOfPasswd(upgraded)).not.toBe(checksumOfPasswd(first));
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

  // Its hash, in the pod, and its login on a real Mosquitto: mosquitto.test.ts.
  it('publishes the user of the existing Secret to the pod that hashes it', async () => {
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
    const roles = (
      render.podTemplate('StatefulSet', 'health-data-mqtt').spec.volumes as {
        name: string;
        projected?: { sources: { secret: { name: string } }[] };
      }[]
    ).find((volume) => volume.name === 'roles');
    expect(roles?.projected?.sources.map((source) => source.secret.name)).toContain(
      'health-data-mqtt-secret',
    );
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
