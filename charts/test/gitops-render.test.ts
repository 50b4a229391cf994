// A render that cannot read the cluster (helm template, helm install --dry-run=client, Argo CD)
// gets nothing from lookup, so it would generate every credential anew; applied as an upgrade
// that replaces the passwords the servers were set up with. Every chart refuses it unless
// credentials.renderWithoutCluster is "generate" (a first install or a preview), and renders as
// before with cluster access. Real helm, with and without a (fake) API server behind lookup.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import { renderChart, renderFailure, type RenderOptions } from './support/render-chart.js';

const namespace = 'apps';
const refusal = (chart: string) =>
  `${chart}: credentials.renderWithoutCluster: this render cannot read the cluster (helm template, helm install --dry-run=client, Argo CD: lookup answers nothing)`;

/** Each chart with values it otherwise renders with, and a Secret holding a generated password. */
const charts: Record<string, { options: RenderOptions; secret: string; key: string }> = {
  'realtime-platform': {
    options: { releaseName: 'platform', namespace, fixtures: ['minimal'] },
    secret: 'health-data-db-secret',
    key: 'DB_PASSWORD',
  },
  'iot-broker': {
    options: { releaseName: 'broker', namespace, fixtures: ['required'] },
    secret: 'health-data-mqtt-secret',
    key: 'MQTT_PASSWORD',
  },
  'lenses-hq': {
    options: { releaseName: 'hq', namespace, fixtures: ['required'] },
    secret: 'hq-lenses-hq-admin',
    key: 'password',
  },
  'lenses-agent': {
    options: { releaseName: 'agent', namespace, fixtures: ['required'] },
    secret: 'agent-lenses-agent-postgresql',
    key: 'password',
  },
};

let cluster: FakeKubernetesApi;
beforeAll(async () => {
  cluster = await FakeKubernetesApi.start();
});
afterAll(async () => {
  await cluster?.close();
});

describe.each(Object.entries(charts))('%s rendered without cluster access', (chart, spec) => {
  it('is refused by default, naming credentials.renderWithoutCluster and the ways out', async () => {
    const message = await renderFailure(chart, {
      ...spec.options,
      renderWithoutCluster: 'chart-default',
    });
    expect(message).toContain(refusal(chart));
    expect(message).toContain('helm template --dry-run=server');
    expect(message).toContain('credentials.renderWithoutCluster=generate');
  });

  it('is refused on an upgrade (helm template --is-upgrade) too', async () => {
    const message = await renderFailure(chart, {
      ...spec.options,
      isUpgrade: true,
      renderWithoutCluster: 'chart-default',
    });
    expect(message).toContain(refusal(chart));
  });

  it('generates the credentials when told it is a first install or a preview (renderWithoutCluster: generate)', async () => {
    const rendered = await renderChart(chart, {
      ...spec.options,
      values: [{ credentials: { renderWithoutCluster: 'generate' } }],
    });
    expect(rendered.secretData(spec.secret)[spec.key]).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('renders with cluster access under the default, and an upgrade keeps the credentials', async () => {
    // A namespace of its own per chart: the fake API server is shared.
    const options = { ...spec.options, namespace: `gitops-${chart}`, cluster };
    const installed = await renderChart(chart, {
      ...options,
      renderWithoutCluster: 'chart-default',
    });
    cluster.apply(installed.objects, options.namespace);
    const upgraded = await renderChart(chart, {
      ...options,
      isUpgrade: true,
      renderWithoutCluster: 'chart-default',
    });
    expect(upgraded.secretData(spec.secret)).toEqual(installed.secretData(spec.secret));
    // What the guard prevents: the same upgrade rendered without the cluster has new passwords.
    const blind = await renderChart(chart, {
      ...spec.options,
      namespace: options.namespace,
      isUpgrade: true,
      values: [{ credentials: { renderWithoutCluster: 'generate' } }],
    });
    expect(blind.secretData(spec.secret)[spec.key]).not.toBe(
      installed.secretData(spec.secret)[spec.key],
    );
  });
});

describe('existing Secrets and the guard', () => {
  it('realtime-platform: credentials.existingSecret is no way around it (it is read with lookup too)', async () => {
    const message = await renderFailure('realtime-platform', {
      ...charts['realtime-platform']?.options,
      values: [{ credentials: { existingSecret: 'chosen-credentials' } }],
      renderWithoutCluster: 'chart-default',
    });
    expect(message).toContain(refusal('realtime-platform'));
  });

  it('lenses-hq with its existing Secrets generates nothing, so it renders without the cluster', async () => {
    const rendered = await renderChart('lenses-hq', {
      ...charts['lenses-hq']?.options,
      fixtures: ['required', 'existing-secrets'],
      renderWithoutCluster: 'chart-default',
    });
    expect(rendered.ofKind('Deployment')).toHaveLength(1);
  });

  it('refuses a renderWithoutCluster that is neither fail nor generate, naming the field', async () => {
    const message = await renderFailure('realtime-platform', {
      ...charts['realtime-platform']?.options,
      values: [{ credentials: { renderWithoutCluster: 'always' } }],
    });
    expect(message).toContain(
      "at '/credentials/renderWithoutCluster': value must be one of 'fail', 'generate'",
    );
  });
});
