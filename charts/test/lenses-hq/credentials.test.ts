import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { parse } from 'yaml';
import { FakeKubernetesApi } from '../support/fake-kubernetes-api.js';
import {
  containerOf,
  envOf,
  renderChart,
  type RenderedChart,
  type RenderOptions,
} from '../support/render-chart.js';

const chart = 'lenses-hq';
const namespace = 'lenses';

interface HqConfig {
  auth: { administrators: string[]; users: { username: string; password: string }[] };
}
const configOf = (render: RenderedChart): HqConfig =>
  parse(render.secretData('test-lenses-hq-config')['config.yaml'] ?? '') as HqConfig;
const annotationsOf = (render: RenderedChart) =>
  render.podTemplate('Deployment', 'test-lenses-hq').metadata.annotations ?? {};

describe('lenses-hq: administrator password', () => {
  it('generates a password whose bcrypt hash in config.yaml verifies against it', async () => {
    const render = await renderChart(chart, { releaseName: 'test', fixtures: ['required'] });
    const admin = render.secretData('test-lenses-hq-admin');
    const [user] = configOf(render).auth.users;
    expect(admin.username).toBe('admin');
    expect(admin.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(user).toEqual({ username: 'admin', password: admin.passwordHash });
    expect(bcrypt.compareSync(admin.password ?? '', user?.password ?? '')).toBe(true);
    expect(bcrypt.compareSync(`${admin.password}x`, user?.password ?? '')).toBe(false);
  });

  it('hashes a password given in values the same way', async () => {
    const render = await renderChart(chart, { releaseName: 'test', fixtures: ['production'] });
    const [user] = configOf(render).auth.users;
    expect(render.secretData('test-lenses-hq-admin').password).toBe('correct-horse-battery-staple');
    expect(bcrypt.compareSync('correct-horse-battery-staple', user?.password ?? '')).toBe(true);
  });

  it('ships no fixed credentials: two installs get different passwords', async () => {
    const [first, second] = await Promise.all([
      renderChart(chart, { releaseName: 'test', fixtures: ['required'] }),
      renderChart(chart, { releaseName: 'test', fixtures: ['required'] }),
    ]);
    for (const secret of ['test-lenses-hq-admin', 'test-lenses-hq-postgresql']) {
      expect(first.secretData(secret).password).not.toBe(second.secretData(secret).password);
    }
  });

  it('takes the password hash from auth.existingSecret and renders no credential Secret', async () => {
    const render = await renderChart(chart, {
      releaseName: 'test',
      fixtures: ['existing-secrets'],
    });
    expect(render.find('Secret', 'test-lenses-hq-admin')).toBeUndefined();
    expect(render.find('Secret', 'test-lenses-hq-postgresql')).toBeUndefined();
    expect(configOf(render).auth).toMatchObject({
      administrators: ['platform-admin', 'ops@example.org'],
      users: [{ username: 'platform-admin', password: '$(LENSESHQ_ADMIN_PASSWORD_HASH)' }],
    });
    const container = containerOf(render.podTemplate('Deployment', 'test-lenses-hq'), 'lenses-hq');
    expect(envOf(container, 'LENSESHQ_ADMIN_PASSWORD_HASH').valueFrom?.secretKeyRef).toEqual({
      name: 'hq-admin-credentials',
      key: 'bcrypt',
    });
  });
});

describe('lenses-hq: credentials across helm upgrade (lookup against a fake API server)', () => {
  let cluster: FakeKubernetesApi;
  let installed: RenderedChart;
  const render = (values: Record<string, unknown>[] = [], isUpgrade = true) => {
    const options: RenderOptions = {
      releaseName: 'test',
      namespace,
      fixtures: ['required'],
      values,
      isUpgrade,
      cluster,
    };
    return renderChart(chart, options);
  };

  beforeAll(async () => {
    cluster = await FakeKubernetesApi.start();
    installed = await render([], false);
    cluster.apply(installed.objects, namespace);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('reads the existing Secrets back on upgrade', () => {
    expect(cluster.requests).toContain(
      `GET /api/v1/namespaces/${namespace}/secrets/test-lenses-hq-admin`,
    );
    expect(cluster.requests).toContain(
      `GET /api/v1/namespaces/${namespace}/secrets/test-lenses-hq-postgresql`,
    );
  });

  it('keeps the password, its hash, config.yaml and the checksums on a plain upgrade', async () => {
    const upgraded = await render();
    for (const secret of [
      'test-lenses-hq-admin',
      'test-lenses-hq-postgresql',
      'test-lenses-hq-config',
    ]) {
      expect(upgraded.secretData(secret)).toEqual(installed.secretData(secret));
    }
    expect(annotationsOf(upgraded)['checksum/config']).toBe(
      annotationsOf(installed)['checksum/config'],
    );
    expect(annotationsOf(upgraded)['checksum/postgresql-secret']).toBe(
      annotationsOf(installed)['checksum/postgresql-secret'],
    );
  });

  it('does not change checksum/config when only labels or annotations change', async () => {
    const relabelled = await render([
      { commonLabels: { team: 'streaming' }, podAnnotations: { note: 'x' } },
    ]);
    expect(annotationsOf(relabelled)['checksum/config']).toBe(
      annotationsOf(installed)['checksum/config'],
    );
  });

  it('changes checksum/config when the configuration changes', async () => {
    const reconfigured = await render([{ logger: { level: 'debug' } }]);
    expect(annotationsOf(reconfigured)['checksum/config']).not.toBe(
      annotationsOf(installed)['checksum/config'],
    );
  });

  it('rehashes when the password changes, and the new hash verifies the new password', async () => {
    const changed = await render([{ auth: { adminPassword: 'a-brand-new-admin-password' } }]);
    const admin = changed.secretData('test-lenses-hq-admin');
    expect(admin.password).toBe('a-brand-new-admin-password');
    expect(admin.passwordHash).not.toBe(installed.secretData('test-lenses-hq-admin').passwordHash);
    expect(configOf(changed).auth.users[0]?.password).toBe(admin.passwordHash);
    expect(bcrypt.compareSync('a-brand-new-admin-password', admin.passwordHash ?? '')).toBe(true);
    expect(annotationsOf(changed)['checksum/config']).not.toBe(
      annotationsOf(installed)['checksum/config'],
    );
  });
});
