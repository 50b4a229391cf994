import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolchainErrors, type Helm } from '@realtime-platform/toolchain';
import { parse } from 'yaml';
import { chartsDir as repositoryChartsDir } from '@realtime-platform/addons';
import type { KubeObject } from './kube-object.js';
import { renderErrors } from './render.errors.js';
import { helmTool } from './render-tools.js';

export interface ReleaseTemplateOptions {
  helm?: Helm;
  /** Where the charts are (default: this repository's charts/). */
  chartsDir?: string;
}

export interface TemplatedRelease {
  /** The Helm release name provider-helm installs (the Release's external name). */
  releaseName: string;
  namespace: string;
  chart: {
    name: string;
    /** The version the Release asks for. */
    version: string;
    /** The version of the chart rendered (charts/<name>/Chart.yaml). */
    renderedVersion: string;
    dir: string;
  };
  objects: KubeObject[];
}

export type ReleaseTemplateResult =
  | { ok: true; templated: TemplatedRelease }
  /** The chart refused the Release's values (values.schema.json, a `required` or `fail`). */
  | { ok: false; releaseName: string; chart: string; message: string };

/**
 * The charts' `credentials.renderWithoutCluster: generate`: the credentials of a render without
 * a cluster are new, which is right for a preview and wrong for an upgrade (the charts' guard).
 */
export const previewValues: Readonly<Record<string, unknown>> = {
  credentials: { renderWithoutCluster: 'generate' },
};

/**
 * `helm template` of the chart a provider-helm Release installs, from this repository's charts/
 * (the sources the chart repository is packaged from), with the Release's values, release name
 * (`crossplane.io/external-name`, as provider-helm names it) and namespace: the objects
 * provider-helm would create, credentials freshly generated (previewValues). A chart that refuses the values is a result, not an exception.
 */
export async function templateRelease(
  release: KubeObject,
  options: ReleaseTemplateOptions = {},
): Promise<ReleaseTemplateResult> {
  const { chart, namespace, values } = release.spec.forProvider as {
    chart: { name: string; version: string };
    namespace: string;
    values?: Record<string, unknown>;
  };
  const releaseName =
    release.metadata.annotations?.['crossplane.io/external-name'] ?? release.metadata.name;
  const charts = options.chartsDir ?? repositoryChartsDir;
  const dir = join(charts, chart.name);
  if (!/^[a-z0-9-]+$/.test(chart.name) || !existsSync(join(dir, 'Chart.yaml'))) {
    throw renderErrors.CHART_NOT_FOUND({
      chart: chart.name,
      release: releaseName,
      chartsDir: charts,
    });
  }
  const renderedVersion = (
    parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { version: string }
  ).version;
  const helm = options.helm ?? helmTool();
  try {
    const objects = (await helm.templateObjects(dir, {
      releaseName,
      namespace,
      // A preview without the cluster: the charts refuse to generate credentials in a render
      // without cluster access unless told (provider-helm itself installs with cluster access).
      values: [previewValues, ...(values ? [values] : [])],
    })) as KubeObject[];
    return {
      ok: true,
      templated: {
        releaseName,
        namespace,
        chart: { name: chart.name, version: chart.version, renderedVersion, dir },
        objects,
      },
    };
  } catch (error) {
    if (!toolchainErrors.HELM_FAILED.is(error)) throw error;
    // helm logs "found symbolic link" (charts/<umbrella>/charts links the siblings) at INFO level.
    const stderr = String(error.details.stderr ?? error.message)
      .split('\n')
      .filter((line) => !/^level=(INFO|DEBUG)\b/.test(line))
      .join('\n')
      .replace(/^Error: /, '')
      .trim();
    return { ok: false, releaseName, chart: chart.name, message: stderr };
  }
}
