import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { claimApi } from '@realtime-platform/contract-generators';
import { Helm, type KubernetesObject } from '@realtime-platform/toolchain';
import { addonNames, packageCharts } from '@realtime-platform/addons';
import {
  compositeFromClaim,
  LocalFunctions,
  objectOf,
  previewValues,
  renderComposite,
  type KubeObject,
  type RenderedAddon,
} from '../../src/index.js';
import { renderAddonOk } from '../support/addon-render.js';
import { claimOf } from '../support/example-claims.js';

// End to end without a cluster: the Helm repository `package-charts` builds is served on loopback
// and is the addon's chartRepository; crossplane render (with the real functions) composes the
// Releases; helm pulls each Release's chart by its repository, name and version, as provider-helm
// does, and renders it with the Release's values into the Release's namespace. So the values are
// what the charts expect (they refuse anything else), and the Secrets the charts render are the
// ones the status names, holding exactly the keys the Release's connection details read.

const helm = Helm.locate();
const repository = mkdtempSync(join(tmpdir(), 'rtp-chart-repo-'));
const pulled = mkdtempSync(join(tmpdir(), 'rtp-chart-pull-'));
const functions = new LocalFunctions();
let server: Server;
let repositoryUrl: string;
let addon: RenderedAddon;

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const s = createServer((req, res) => {
    const file = join(
      dir,
      normalize(decodeURIComponent(req.url ?? '/')).replace(/^(\.\.[/\\])+/, ''),
    );
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server: s, url: `http://127.0.0.1:${port}/realtime-platform` };
}

/** The Release's chart, pulled from its repository by name and version, rendered with its values. */
async function installAsProviderHelmWould(release: KubeObject): Promise<KubernetesObject[]> {
  const { chart, namespace, values } = release.spec.forProvider;
  const destination = mkdtempSync(join(pulled, 'chart-'));
  await helm.run([
    'pull',
    chart.name,
    '--repo',
    chart.repository,
    '--version',
    chart.version,
    '--destination',
    destination,
  ]);
  return helm.templateObjects(join(destination, `${chart.name}-${chart.version}.tgz`), {
    releaseName: release.metadata.annotations?.['crossplane.io/external-name'],
    namespace,
    // helm template as a preview (no cluster); provider-helm installs with cluster access.
    values: [previewValues, values],
  });
}

/** { Secret name: its keys } for the Secrets a connection detail list reads. */
function detailKeys(release: KubeObject): Record<string, string[]> {
  const bySecret: Record<string, string[]> = {};
  for (const detail of release.spec.connectionDetails as {
    name: string;
    toConnectionSecretKey: string;
  }[]) {
    (bySecret[detail.name] ??= []).push(detail.toConnectionSecretKey);
  }
  return Object.fromEntries(Object.entries(bySecret).map(([name, keys]) => [name, keys.sort()]));
}

function secretKeys(objects: KubernetesObject[], names: string[]): Record<string, string[]> {
  return Object.fromEntries(
    names.map((name) => {
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
      return [name, Object.keys((secret?.data ?? {}) as Record<string, string>).sort()];
    }),
  );
}

beforeAll(async () => {
  ({ server, url: repositoryUrl } = await serve(repository));
  await packageCharts({ destination: join(repository, 'realtime-platform'), url: repositoryUrl });
  addon = await renderAddonOk({
    chartRepository: repositoryUrl,
    allowInsecureChartRepository: true, // the loopback repository is plain http
    // Lenses refuses to start without it; the chart checks it (see the last test).
    lenses: { acceptEULA: true },
  });
  await functions.start();
});
afterAll(async () => {
  await functions.stop();
  await new Promise((resolve) => server.close(resolve));
  rmSync(repository, { recursive: true, force: true });
  rmSync(pulled, { recursive: true, force: true });
});

async function composedRelease(
  rendered: RenderedAddon,
  example: string,
  kind: string,
  compositeKind: string,
  composition: string,
): Promise<{ release: KubeObject; status: KubeObject['status'] }> {
  const claim = await claimOf(example, kind);
  const xrdName = rendered.objects.find(
    (o) => o.kind === 'CompositeResourceDefinition' && o.spec.names.kind === compositeKind,
  )?.metadata.name as string;
  const result = await renderComposite(functions, {
    xr: compositeFromClaim(claim, compositeKind),
    composition: objectOf(rendered, 'Composition', composition),
    functionObjects: rendered.objects.filter((o) => o.kind === 'Function'),
    xrd: objectOf(rendered, 'CompositeResourceDefinition', xrdName),
  });
  if (result.exitCode !== 0) throw new Error(`crossplane render failed: ${result.stderr}`);
  return {
    release: Object.values(result.composed)[0] as KubeObject,
    status: result.composite?.status,
  };
}

describe('the composed Releases, installed from the packaged Helm repository', () => {
  for (const example of ['minimal.app.yaml', 'user-flow.app.yaml', 'every-option.app.yaml']) {
    it(`${example}: the chart renders with the Release's values the five Secrets the status names, with exactly the keys the connection details read`, async () => {
      const { release, status } = await composedRelease(
        addon,
        example,
        claimApi.kind,
        claimApi.compositeKind,
        'realtime-platform',
      );
      expect(release.spec.forProvider.chart.repository).toBe(repositoryUrl);
      const objects = await installAsProviderHelmWould(release);
      const names = Object.values(status.secrets as Record<string, string>);
      expect(names).toHaveLength(5);
      expect(secretKeys(objects, names)).toEqual(detailKeys(release));
      for (const secret of objects.filter(
        (o) => o.kind === 'Secret' && names.includes(o.metadata.name),
      )) {
        expect(secret.metadata.namespace).toBe(release.spec.forProvider.namespace);
      }
      if (release.spec.forProvider.values.lenses.enabled) {
        // The Lenses subcharts are in, wired to this platform (the chart checks every value).
        expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain(
          `Service/${release.metadata.annotations?.['crossplane.io/external-name']}-lenses-hq`,
        );
      }
    });
  }

  it('iot-broker.app.yaml: the iot-broker chart renders {name}-mqtt-secret with exactly the keys the connection details read', async () => {
    const { release, status } = await composedRelease(
      addon,
      'iot-broker.app.yaml',
      addonNames.iotBrokerKind,
      addonNames.iotBrokerCompositeKind,
      'iot-broker',
    );
    const objects = await installAsProviderHelmWould(release);
    expect(secretKeys(objects, [status.secrets.mqtt])).toEqual(detailKeys(release));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain(
      'Service/ward-devices-mqtt',
    );
  });

  it('the chart refuses a Lenses platform while the addon has not accepted the Lenses EULA', async () => {
    const defaults = await renderAddonOk({
      chartRepository: repositoryUrl,
      allowInsecureChartRepository: true,
    });
    const { release } = await composedRelease(
      defaults,
      'every-option.app.yaml',
      claimApi.kind,
      claimApi.compositeKind,
      'realtime-platform',
    );
    await expect(installAsProviderHelmWould(release)).rejects.toThrow(
      /at '\/lenses-hq\/license\/acceptEULA': value must be true/,
    );
  });
});
