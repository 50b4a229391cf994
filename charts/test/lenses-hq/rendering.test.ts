import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { kubernetesProblems } from '@realtime-platform/toolchain';
import { itLintsAndValidatesEachFixture, renderEachFixture } from '../support/fixture-renders.js';
import {
  containerOf,
  envOf,
  renderNotes,
  renderTwoReleases,
  type RenderedChart,
} from '../support/render-chart.js';
import { hardeningProblems } from '../support/workload-hardening.js';

const chart = 'lenses-hq';
const fixtures = ['required', 'existing-secrets', 'production'] as const;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'test' });

const configOf = (render: RenderedChart): Record<string, unknown> =>
  parse(render.secretData('test-lenses-hq-config')['config.yaml'] ?? '') as Record<string, unknown>;
const hqContainer = (render: RenderedChart) =>
  containerOf(render.podTemplate('Deployment', 'test-lenses-hq'), 'lenses-hq');

describe('lenses-hq: helm lint and Kubernetes schemas', () => {
  itLintsAndValidatesEachFixture(chart, fixtures, renders, { moreObjectsThan: 0 });

  it('renders exactly the objects HQ needs with the required values', () => {
    expect(renders.required.names().sort()).toEqual([
      'Deployment/test-lenses-hq',
      'Secret/test-lenses-hq-admin',
      'Secret/test-lenses-hq-config',
      'Secret/test-lenses-hq-postgresql',
      'Service/test-lenses-hq',
      'ServiceAccount/test-lenses-hq',
    ]);
  });
});

describe('lenses-hq: config.yaml', () => {
  // Field by field against the HQ configuration reference
  // (https://docs.lenses.io/latest/deployment/configuration/hq/configuration-reference):
  // top-level http, agents, database, license, auth, logger, metrics. HQ ignores keys it does not
  // know, so the whole file is compared: a misspelt key would otherwise go unnoticed.
  it('holds the documented fields built from the default values', () => {
    const config = configOf(renders.required);
    expect(config).toEqual({
      http: { address: ':9991', secureSessionCookies: false, accessControlAllowCredentials: false },
      agents: { address: ':10000' },
      database: {
        host: 'test-postgresql:5432',
        database: 'hq',
        username: 'lenses',
        password: '$(LENSESHQ_PG_PASSWORD)',
        TLS: false,
      },
      license: { key: '$(LENSESHQ_LICENSE)', acceptEULA: true },
      auth: {
        administrators: ['admin'],
        users: [
          { username: 'admin', password: expect.stringMatching(/^\$2a\$10\$[./A-Za-z0-9]{53}$/) },
        ],
        sessionDuration: '24h',
      },
      logger: { mode: 'text', level: 'info' },
      metrics: { prometheusAddress: ':9090' },
    });
  });

  it('takes ports, cookies, CORS, logging and extra administrators from values', () => {
    const config = configOf(renders.production) as {
      http: unknown;
      agents: unknown;
      auth: { administrators: string[]; sessionDuration: string };
      logger: unknown;
      metrics: unknown;
    };
    expect(config.http).toEqual({
      address: ':8080',
      secureSessionCookies: true,
      accessControlAllowOrigin: ['https://lenses.example.org'],
      accessControlAllowCredentials: true,
    });
    expect(config.agents).toEqual({ address: ':10001' });
    expect(config.metrics).toEqual({ prometheusAddress: ':9102' });
    expect(config.logger).toEqual({ mode: 'json', level: 'warn' });
    // the admin user comes first and is not repeated
    expect(config.auth.administrators).toEqual(['admin', 'alice@example.org']);
    expect(config.auth.sessionDuration).toBe('8h');
  });

  it('describes an external PostgreSQL with schema, TLS and connection parameters', () => {
    expect(configOf(renders['existing-secrets']).database).toEqual({
      host: 'pg.databases.svc.cluster.local:6432',
      database: 'lenses_hq',
      username: 'hq_owner',
      password: '$(LENSESHQ_PG_PASSWORD)',
      schema: 'hq',
      TLS: true,
      params: { sslmode: 'require' },
    });
  });

  it('fills every $(VAR) of config.yaml from a Secret through the container environment', () => {
    for (const fixture of fixtures) {
      const render = renders[fixture];
      const text = render.secretData('test-lenses-hq-config')['config.yaml'] ?? '';
      const references = [...text.matchAll(/\$\(([A-Z0-9_]+)\)/g)].map(
        (match) => match[1] as string,
      );
      expect(references.length).toBeGreaterThanOrEqual(2);
      const container = hqContainer(render);
      for (const name of references) {
        expect(envOf(container, name).valueFrom?.secretKeyRef).toEqual({
          name: expect.any(String),
          key: expect.any(String),
        });
      }
    }
  });

  it('is passed to HQ as the path of the mounted file', () => {
    const template = renders.required.podTemplate('Deployment', 'test-lenses-hq');
    const container = containerOf(template, 'lenses-hq');
    const mount = container.volumeMounts?.find((m) => m.name === 'config');
    const volume = template.spec.volumes?.find((v) => v.name === 'config');
    expect(volume?.secret?.secretName).toBe('test-lenses-hq-config');
    const item = volume?.secret?.items?.find((i) => i.key === 'config.yaml');
    expect(container.args).toEqual([`${mount?.mountPath}/${item?.path}`]);
  });
});

describe('lenses-hq: Deployment', () => {
  it('reads the licence and the database password from Secrets, never from values', () => {
    const container = hqContainer(renders['existing-secrets']);
    expect(envOf(container, 'LENSESHQ_LICENSE').valueFrom?.secretKeyRef).toEqual({
      name: 'platform-lenses',
      key: 'lenses-license-key',
    });
    expect(envOf(container, 'LENSESHQ_PG_PASSWORD').valueFrom?.secretKeyRef).toEqual({
      name: 'hq-database',
      key: 'db-password',
    });
    const required = hqContainer(renders.required);
    expect(envOf(required, 'LENSESHQ_PG_PASSWORD').valueFrom?.secretKeyRef).toEqual({
      name: 'test-lenses-hq-postgresql',
      key: 'password',
    });
    expect(renders.required.secretData('test-lenses-hq-postgresql').password).toMatch(
      /^[A-Za-z0-9]{32}$/,
    );
  });

  it('probes liveness and readiness (and startup) with GET / on the HTTP port', () => {
    const container = hqContainer(renders.required);
    const httpPort = container.ports?.find((port) => port.name === 'http');
    expect(httpPort?.containerPort).toBe(9991);
    for (const probe of [
      container.livenessProbe,
      container.readinessProbe,
      container.startupProbe,
    ]) {
      expect(probe).toMatchObject({ httpGet: { path: '/', port: 'http' } });
    }
  });

  it('is hardened: pinned image, non-root, read-only root, no capabilities, resources', () => {
    for (const fixture of fixtures) {
      expect(
        hardeningProblems(renders[fixture].podTemplate('Deployment', 'test-lenses-hq')),
      ).toEqual([]);
    }
  });

  it('defaults to the pinned GA image lensesio/lenses-hq 6.x, overridable with a digest', () => {
    expect(hqContainer(renders.required).image).toMatch(
      /^docker\.io\/lensesio\/lenses-hq:6\.\d+\.\d+$/,
    );
    expect(hqContainer(renders.production).image).toBe(
      'registry.example.org/mirror/lenses-hq@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
  });

  it('exposes every port its Service targets', () => {
    const container = hqContainer(renders.production);
    const service = renders.production.get('Service', 'test-lenses-hq') as unknown as {
      spec: { ports: { name: string; port: number; targetPort: string }[] };
    };
    const containerPorts = Object.fromEntries(
      (container.ports ?? []).map((p) => [p.name, p.containerPort]),
    );
    expect(service.spec.ports.map((p) => [p.name, p.port, containerPorts[p.targetPort]])).toEqual([
      ['http', 8080, 8080],
      ['agents', 10001, 10001],
      ['metrics', 9102, 9102],
    ]);
  });

  it('hashes only config.yaml into checksum/config', () => {
    const template = renders.required.podTemplate('Deployment', 'test-lenses-hq');
    const config = renders.required.secretData('test-lenses-hq-config')['config.yaml'] ?? '';
    expect(template.metadata.annotations?.['checksum/config']).toBe(
      createHash('sha256').update(config).digest('hex'),
    );
  });
});

describe('lenses-hq: names', () => {
  it('gives two releases in one namespace disjoint object names and selectors', async () => {
    const [first, second] = await renderTwoReleases(chart, ['alpha', 'beta'], {
      namespace: 'shared',
      fixtures: ['required'],
    });
    const firstNames = new Set(first.names());
    expect(second.names().filter((name) => firstNames.has(name))).toEqual([]);
    const selector = (render: RenderedChart) =>
      (render.only('Service') as unknown as { spec: { selector: Record<string, string> } }).spec
        .selector;
    expect(selector(first)).not.toEqual(selector(second));
  });

  it('keeps long release names unique and within 63 characters', async () => {
    const prefix = 'a-very-long-release-name-for-the-lenses-hq-chart';
    const [first, second] = await renderTwoReleases(chart, [`${prefix}-one1`, `${prefix}-two2`], {
      namespace: 'shared',
      fixtures: ['required'],
    });
    for (const render of [first, second]) {
      for (const obj of render.objects) expect(obj.metadata.name.length).toBeLessThanOrEqual(63);
      expect(await kubernetesProblems(render.objects)).toEqual([]);
    }
    const firstNames = new Set(first.names());
    expect(second.names().filter((name) => firstNames.has(name))).toEqual([]);
  });
});

describe('lenses-hq: NOTES.txt', () => {
  it('gives the DNS name and the kubectl command for the password, never the password', async () => {
    const notes = await renderNotes(chart, {
      releaseName: 'test',
      namespace: 'lenses',
      fixtures: ['required'],
      values: [{ auth: { adminPassword: 'printed-nowhere-password' } }],
    });
    expect(notes).toContain('http://test-lenses-hq.lenses.svc.cluster.local:9991');
    expect(notes).toContain(
      "kubectl get secret --namespace lenses test-lenses-hq-admin -o jsonpath='{.data.password}' | base64 -d",
    );
    expect(notes).toContain('secureSessionCookies');
    expect(notes).not.toContain('printed-nowhere-password');
  });
});
