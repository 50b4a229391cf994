// Renders a chart of this folder with the real helm binary and gives typed access to the result.
// Every chart test goes through renderChart(): one helm run serves many assertions.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Helm, type KubernetesObject } from '@realtime-platform/toolchain';
import { parseAllDocuments } from 'yaml';
import type { FakeKubernetesApi } from './fake-kubernetes-api.js';

export type { KubernetesObject };

/** charts/ (this package's root). */
export const chartsRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The folder of a chart in charts/. */
export const chartPath = (chart: string): string => join(chartsRoot, chart);

/** A values fixture: charts/test/<chart>/values/<name>.yaml. */
export const valuesFixture = (chart: string, name: string): string =>
  join(chartsRoot, 'test', chart, 'values', `${name}.yaml`);

let helmInstance: Helm | undefined;
/** The project's helm (Helm.locate(): PATH, then the tool cache), located once. */
export const helm = (): Helm => (helmInstance ??= Helm.locate());

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  /** Fixture names in charts/test/<chart>/values/, applied in order. */
  fixtures?: string[];
  /** Values objects applied after the fixtures (later wins). */
  values?: Record<string, unknown>[];
  isUpgrade?: boolean;
  /** API versions the cluster is said to serve (`--api-versions`, seen by .Capabilities). */
  apiVersions?: string[];
  /**
   * Render against a fake API server, so `lookup` sees the objects it holds
   * (`helm template --dry-run=server`).
   */
  cluster?: FakeKubernetesApi;
  /**
   * `credentials.renderWithoutCluster` of a render without `cluster`: `generate` (default: these
   * renders are previews), or `chart-default` to leave the chart's own (`fail`) in place.
   */
  renderWithoutCluster?: 'generate' | 'chart-default';
}

/** The values a render without a cluster starts from (see RenderOptions.renderWithoutCluster). */
function previewValues(options: RenderOptions): Record<string, unknown>[] {
  if (options.cluster || options.renderWithoutCluster === 'chart-default') return [];
  return [{ credentials: { renderWithoutCluster: 'generate' } }];
}

/** The arguments helm gets for the values of `options`; values objects go to temp files. */
async function withValuesArgs<T>(
  chart: string,
  options: RenderOptions,
  body: (args: string[]) => Promise<T>,
): Promise<T> {
  const args: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'rtp-chart-values-'));
  try {
    for (const [index, values] of previewValues(options).entries()) {
      const file = join(dir, `preview-${index}.yaml`);
      await writeFile(file, JSON.stringify(values));
      args.push('--values', file);
    }
    for (const name of options.fixtures ?? []) args.push('--values', valuesFixture(chart, name));
    for (const [index, values] of (options.values ?? []).entries()) {
      const file = join(dir, `values-${index}.yaml`);
      await writeFile(file, JSON.stringify(values)); // JSON is YAML, and exact about types
      args.push('--values', file);
    }
    return await body(args);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const releaseArgs = (chart: string, options: RenderOptions): string[] => [
  options.releaseName ?? 'test',
  chartPath(chart),
  '--namespace',
  options.namespace ?? 'lenses',
];

/** `helm template`: the rendered objects. Rejects with helm's message when rendering fails. */
export async function renderChart(
  chart: string,
  options: RenderOptions = {},
): Promise<RenderedChart> {
  return withValuesArgs(chart, options, async (valueArgs) => {
    const args = ['template', ...releaseArgs(chart, options), ...valueArgs];
    if (options.isUpgrade) args.push('--is-upgrade');
    for (const apiVersion of options.apiVersions ?? []) args.push('--api-versions', apiVersion);
    if (options.cluster) {
      args.push('--kubeconfig', options.cluster.kubeconfigPath);
      args.push('--dry-run=server', '--disable-openapi-validation');
    }
    const { stdout } = await helm().run(args);
    const objects = parseAllDocuments(stdout)
      .map((doc) => doc.toJSON() as KubernetesObject | null)
      .filter((obj): obj is KubernetesObject => obj !== null && typeof obj === 'object');
    return new RenderedChart(objects);
  });
}

/**
 * Renders two releases of a chart side by side, e.g. to prove that two releases in one namespace
 * never share an object name.
 */
export async function renderTwoReleases(
  chart: string,
  releaseNames: [string, string],
  options: Omit<RenderOptions, 'releaseName'> = {},
): Promise<[RenderedChart, RenderedChart]> {
  return Promise.all([
    renderChart(chart, { ...options, releaseName: releaseNames[0] }),
    renderChart(chart, { ...options, releaseName: releaseNames[1] }),
  ]);
}

/** Why rendering fails (helm's message); throws if it does not fail. */
export async function renderFailure(chart: string, options: RenderOptions = {}): Promise<string> {
  try {
    await renderChart(chart, options);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`rendering ${chart} was expected to fail, but it succeeded`);
}

/** The chart's NOTES.txt as `helm install --dry-run=client` prints it (no cluster needed). */
export async function renderNotes(chart: string, options: RenderOptions = {}): Promise<string> {
  return withValuesArgs(chart, options, async (valueArgs) => {
    const { stdout } = await helm().run([
      'install',
      ...releaseArgs(chart, options),
      ...valueArgs,
      '--dry-run=client',
    ]);
    const start = stdout.indexOf('\nNOTES:\n');
    if (start < 0) throw new Error(`helm printed no NOTES for ${chart}`);
    return stdout.slice(start + '\nNOTES:\n'.length);
  });
}

/** `helm lint --strict` with the given fixtures; resolves with helm's report. */
export async function lintChart(chart: string, fixtures: string[] = []): Promise<string> {
  return helm().lint(chartPath(chart), {
    valuesFiles: fixtures.map((name) => valuesFixture(chart, name)),
    // helm lint renders without a cluster: a preview.
    values: [{ credentials: { renderWithoutCluster: 'generate' } }],
  });
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
}

export interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
  emptyDir?: Record<string, unknown>;
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
}

export interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** The objects of one render, with lookups that fail loudly when an object is missing. */
export class RenderedChart {
  constructor(readonly objects: KubernetesObject[]) {}

  /** All objects of a kind. */
  ofKind(kind: string): KubernetesObject[] {
    return this.objects.filter((obj) => obj.kind === kind);
  }

  /** The object of this kind and name, or undefined. */
  find(kind: string, name: string): KubernetesObject | undefined {
    return this.objects.find((obj) => obj.kind === kind && obj.metadata.name === name);
  }

  /** The object of this kind and name; throws naming what was rendered when it is missing. */
  get(kind: string, name: string): KubernetesObject {
    const found = this.find(kind, name);
    if (!found) {
      const rendered = this.objects.map((obj) => `${obj.kind}/${obj.metadata.name}`).join(', ');
      throw new Error(`no ${kind}/${name} in the render; rendered: ${rendered}`);
    }
    return found;
  }

  /** The single object of a kind; throws unless there is exactly one. */
  only(kind: string): KubernetesObject {
    const found = this.ofKind(kind);
    if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
    return found[0] as KubernetesObject;
  }

  /** A Secret's data, base64-decoded (stringData merged in, as the API server would). */
  secretData(name: string): Record<string, string> {
    const secret = this.get('Secret', name) as KubernetesObject & {
      data?: Record<string, string>;
      stringData?: Record<string, string>;
    };
    const decoded = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
    return { ...decoded, ...secret.stringData };
  }

  /** A ConfigMap's data. */
  configMapData(name: string): Record<string, string> {
    return (
      (this.get('ConfigMap', name) as KubernetesObject & { data?: Record<string, string> }).data ??
      {}
    );
  }

  /** The pod template of a Deployment, StatefulSet or Job. */
  podTemplate(kind: string, name: string): PodTemplate {
    const workload = this.get(kind, name) as KubernetesObject & { spec: { template: PodTemplate } };
    return workload.spec.template;
  }

  /** The names of every object, as "Kind/name". */
  names(): string[] {
    return this.objects.map((obj) => `${obj.kind}/${obj.metadata.name}`);
  }
}

/** The container of a pod template by name; throws when missing. */
export function containerOf(template: PodTemplate, name: string): Container {
  const container = template.spec.containers.find((candidate) => candidate.name === name);
  if (!container) throw new Error(`no container ${name} in the pod template`);
  return container;
}

/** An environment variable of a container by name; throws when missing. */
export function envOf(container: Container, name: string): EnvVar {
  const variable = container.env?.find((candidate) => candidate.name === name);
  if (!variable) throw new Error(`container ${container.name} has no env ${name}`);
  return variable;
}
