import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderXrd } from '@realtime-platform/contract-generators';
import { Helm, goToolsManifest } from '@realtime-platform/toolchain';
import { addonNames, chartsDir, composeFunction, composedCharts } from '@realtime-platform/addons';
import {
  dryRunApplication,
  objectOf,
  previewValues,
  renderAddonTemplate,
  type RenderedAddon,
} from '../../src/index.js';
import { renderAddonOk } from '../support/addon-render.js';

const chartRepository = 'https://charts.example.test/realtime-platform';
let defaults: RenderedAddon;

beforeAll(async () => {
  defaults = await renderAddonOk({ chartRepository, providerHelm: { clusterWide: true } });
});

const names = (rendered: RenderedAddon): string[] =>
  rendered.objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('template.cue (rendered by the real CUE CLI as vela addon enable renders it)', () => {
  it('installs the XRDs, Functions, Compositions, provider-helm and the realtime-service definition', () => {
    expect(names(defaults)).toEqual([
      'CompositeResourceDefinition/xrealtimeplatformclaims.platform.example.org',
      'CompositeResourceDefinition/xiotbrokerclaims.platform.example.org',
      `Function/${addonNames.functionComposePlatform}`,
      `Function/${addonNames.functionAutoReady}`,
      'Composition/realtime-platform',
      'Composition/iot-broker',
      'DeploymentRuntimeConfig/realtime-platform-provider-helm',
      'Provider/realtime-platform-provider-helm',
      'ProviderConfig/realtime-platform',
      'ClusterRole/realtime-platform:provider-helm',
      'ClusterRoleBinding/realtime-platform:provider-helm',
      'ComponentDefinition/realtime-service',
    ]);
  });

  it('installs the contract XRD unchanged except for its default Composition', () => {
    const xrd = objectOf(
      defaults,
      'CompositeResourceDefinition',
      'xrealtimeplatformclaims.platform.example.org',
    );
    const { defaultCompositionRef, ...spec } = xrd.spec;
    expect(defaultCompositionRef).toEqual({ name: 'realtime-platform' });
    expect({ ...xrd, spec }).toEqual(renderXrd());
  });

  it("installs this project's function (its package an addon parameter) and function-auto-ready at the version the render tests build", async () => {
    const packages = (rendered: RenderedAddon) =>
      rendered.objects.filter((o) => o.kind === 'Function').map((o) => o.spec.package);
    const autoReady = `xpkg.crossplane.io/crossplane-contrib/function-auto-ready:${goToolsManifest.tools['function-auto-ready'].version}`;
    expect(packages(defaults)).toEqual([composeFunction.package, autoReady]);
    const own = await renderAddonOk({
      chartRepository,
      composeFunctionPackage: 'registry.example.test/function-compose-platform:v0.1.0',
    });
    expect(packages(own)).toEqual([
      'registry.example.test/function-compose-platform:v0.1.0',
      autoReady,
    ]);
  });

  it('installs provider-helm at the version the cluster tests run (go-tools.json clusterTools)', () => {
    const provider = objectOf(defaults, 'Provider', 'realtime-platform-provider-helm');
    expect(provider.spec.package).toBe(
      `xpkg.crossplane.io/crossplane-contrib/provider-helm:${goToolsManifest.clusterTools['provider-helm'].version}`,
    );
  });

  it('refuses a cluster domain that is no DNS name (it becomes part of every host)', async () => {
    const result = await renderAddonTemplate({
      chartRepository,
      providerHelm: { clusterWide: true },
      clusterDomain: 'Cluster Local',
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.stderr).toContain('clusterDomain');
  });

  it('ends both Composition pipelines with function-auto-ready', () => {
    for (const name of ['realtime-platform', 'iot-broker']) {
      const composition = objectOf(defaults, 'Composition', name);
      expect(composition.spec.mode).toBe('Pipeline');
      const steps = composition.spec.pipeline as { functionRef: { name: string } }[];
      expect(steps.at(-1)?.functionRef.name).toBe(addonNames.functionAutoReady);
    }
  });

  it('keeps the XRDs when the addon is disabled (deleting them would delete every platform), and deletes dependents first', () => {
    expect(defaults.app.spec.policies).toEqual([
      {
        type: 'garbage-collect',
        name: 'keep-xrds',
        properties: {
          order: 'dependency',
          rules: [
            { selector: { resourceTypes: ['CompositeResourceDefinition'] }, strategy: 'never' },
          ],
        },
      },
    ]);
  });

  it('leaves vela-core webservice alone unless overrideWebservice is set', async () => {
    expect(names(defaults)).not.toContain('ComponentDefinition/webservice');
    const overriding = await renderAddonOk({ chartRepository, overrideWebservice: true });
    expect(names(overriding)).toContain('ComponentDefinition/webservice');
    expect(overriding.app.spec.policies.map((p) => p.type)).toEqual([
      'garbage-collect',
      'take-over',
    ]);
  });

  it('refuses to choose where provider-helm may act: tenant namespaces, or cluster-wide only when asked for', async () => {
    const unscoped = await renderAddonTemplate({ chartRepository });
    expect(unscoped.ok).toBe(false);
    expect(unscoped.ok ? '' : unscoped.stderr).toContain(
      'providerHelm.tenantNamespaces is empty: name the namespaces platforms may be installed into (provider-helm gets its chart role there only), or set providerHelm.clusterWide=true to bind it in every namespace',
    );
    const bindings = (rendered: RenderedAddon) =>
      rendered.objects
        .filter((o) => o.kind.endsWith('Binding'))
        .map((b) => `${b.kind}/${b.metadata.namespace ?? ''}`);
    expect(bindings(defaults)).toEqual(['ClusterRoleBinding/']);
    // clusterWide is the one way to a ClusterRoleBinding; namespaces listed with it add nothing.
    const both = await renderAddonOk({
      chartRepository,
      providerHelm: { clusterWide: true, tenantNamespaces: ['apps'] },
    });
    expect(bindings(both)).toEqual(['ClusterRoleBinding/']);
  });

  it('refuses a plain http chart repository unless allowInsecureChartRepository is set', async () => {
    const parameters = {
      chartRepository: 'http://charts.example.test/realtime-platform',
      providerHelm: { tenantNamespaces: ['apps'] },
    };
    const refused = await renderAddonTemplate(parameters);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.stderr).toContain(
      'chartRepository is plain http: serve the charts over https:// or oci://, or set allowInsecureChartRepository=true',
    );
    const allowed = await renderAddonOk({ ...parameters, allowInsecureChartRepository: true });
    const composition = objectOf(allowed, 'Composition', 'realtime-platform');
    const steps = composition.spec.pipeline as { input: { release: { chart: unknown } } }[];
    expect(steps[0]?.input.release.chart).toMatchObject({
      repository: 'http://charts.example.test/realtime-platform',
    });
    for (const repository of ['https://charts.example.test/c', 'oci://registry.example.test/c']) {
      expect((await renderAddonTemplate({ ...parameters, chartRepository: repository })).ok).toBe(
        true,
      );
    }
  });

  it('binds provider-helm only in the tenant namespaces when they are listed', async () => {
    const scoped = await renderAddonOk({
      chartRepository,
      providerHelm: { tenantNamespaces: ['apps', 'clinic'] },
    });
    const bindings = scoped.objects.filter((o) => o.kind.endsWith('Binding'));
    expect(bindings.map((b) => `${b.kind}/${b.metadata.namespace}`)).toEqual([
      'RoleBinding/apps',
      'RoleBinding/clinic',
    ]);
    expect(bindings[0]?.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'realtime-platform-provider-helm',
        namespace: 'crossplane-system',
      },
    ]);
  });

  it('gives provider-helm no cluster-scoped kinds, no pod exec and no wildcard', () => {
    const role = objectOf(defaults, 'ClusterRole', 'realtime-platform:provider-helm');
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const resources = rules.flatMap((r) => r.resources);
    for (const forbidden of [
      '*',
      'pods/exec',
      'nodes',
      'namespaces',
      'clusterroles',
      'customresourcedefinitions',
    ]) {
      expect(resources).not.toContain(forbidden);
    }
    expect(rules.flatMap((r) => r.verbs)).not.toContain('*');
    expect(rules.find((r) => r.resources.includes('pods'))?.verbs).toEqual([
      'get',
      'list',
      'watch',
    ]);
  });

  it('grants provider-helm every namespaced kind the charts render, for every values fixture', async () => {
    // Helm reads each object before it creates it: a kind missing here fails the install with
    // "forbidden" (found on a real API server: the connectors CronJob).
    const role = objectOf(defaults, 'ClusterRole', 'realtime-platform:provider-helm');
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const granted = (group: string, resource: string): string[] =>
      rules
        .filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource))
        .flatMap((r) => r.verbs);
    const plural = (kind: string): string =>
      kind === 'NetworkPolicy' ? 'networkpolicies' : `${kind.toLowerCase()}s`;
    const helm = Helm.locate();
    const kinds = new Set<string>();
    for (const chart of composedCharts) {
      const fixtures = join(chartsDir, 'test', chart, 'values');
      for (const file of readdirSync(fixtures).filter((f) => !f.startsWith('invalid-'))) {
        const objects = await helm.templateObjects(join(chartsDir, chart), {
          namespace: 'apps',
          valuesFiles: [join(fixtures, file)],
          values: [previewValues],
        });
        for (const object of objects) kinds.add(`${object.apiVersion} ${object.kind}`);
      }
    }
    expect(kinds.size).toBeGreaterThan(5);
    for (const entry of kinds) {
      const [apiVersion, kind] = entry.split(' ') as [string, string];
      const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
      expect([entry, granted(group, plural(kind))]).toEqual([
        entry,
        expect.arrayContaining(['get', 'list', 'create', 'update', 'patch', 'delete']),
      ]);
    }
  });

  it('applies the ProviderConfig after provider-helm, in its own component (its CRD comes with the package)', () => {
    const components = defaults.app.spec.components as {
      name: string;
      dependsOn?: string[];
      properties: { objects: { kind: string }[] };
    }[];
    const config = components.find((c) =>
      c.properties.objects.some((o) => o.kind === 'ProviderConfig'),
    );
    const provider = components.find((c) =>
      c.properties.objects.some((o) => o.kind === 'Provider'),
    );
    expect(config?.properties.objects.map((o) => o.kind)).toEqual(['ProviderConfig']);
    expect(config?.dependsOn).toEqual([provider?.name]);
  });

  it('skips the provider package when the cluster already has provider-helm', async () => {
    const rendered = await renderAddonOk({ chartRepository, providerHelm: { install: false } });
    expect(names(rendered)).not.toContain('Provider/realtime-platform-provider-helm');
    expect(names(rendered)).toContain('ProviderConfig/realtime-platform');
  });

  it('is an Application vela accepts, policies included (vela dry-run --offline)', async () => {
    const rendered = await renderAddonOk({ chartRepository, overrideWebservice: true });
    const dir = mkdtempSync(join(tmpdir(), 'rtp-addon-app-'));
    try {
      const file = join(dir, 'addon-app.yaml');
      const app = {
        apiVersion: 'core.oam.dev/v1beta1',
        kind: 'Application',
        metadata: { name: 'addon-realtime-platform', namespace: 'vela-system' },
        spec: rendered.app.spec,
      };
      writeFileSync(file, stringify(app));
      const result = await dryRunApplication(file, {
        addon: false,
        builtin: [
          'component/k8s-objects.cue',
          'policy/garbage-collect.cue',
          'policy/take-over.cue',
        ],
      });
      expect(result.error).toBe('');
      expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
        rendered.objects.map((o) => `${o.kind}/${o.metadata.name}`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to render without a chart repository URL (no default on purpose)', async () => {
    const result = await renderAddonTemplate({ providerHelm: { tenantNamespaces: ['apps'] } });
    expect(result.ok).toBe(false);
    // CUE names the unset parameter by its constraint, where the Compositions' function input uses it.
    expect(result.ok ? '' : result.stderr).toContain(
      'spec.pipeline.0.input.release.chart.repository: incomplete value =~"^(https?|oci)://"',
    );
  });

  it('refuses a latest service image tag', async () => {
    const result = await renderAddonTemplate({
      chartRepository,
      providerHelm: { clusterWide: true },
      serviceImage: { tag: 'latest' },
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.stderr).toContain('serviceImage.tag');
  });
});
