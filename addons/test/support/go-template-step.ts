import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Helm } from '@realtime-platform/toolchain';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './kube-object.js';

/**
 * Executes a Composition's function-go-templating step with helm's template engine: the same Go
 * text/template with the sprig functions that function-go-templating runs, on the template text
 * exactly as installed. It is the fallback while the function itself cannot be built here (the
 * module proxy refuses it; see go-tools.json): it proves the template's output, not the function's
 * gRPC plumbing or function-auto-ready, which only `crossplane render` with the real functions does.
 *
 * The request has function-go-templating's shape: `.observed.composite.resource` and
 * `.observed.resources.<composition-resource-name>.resource`.
 */
export async function executeGoTemplatingStep(
  composition: KubeObject,
  observed: { composite: KubeObject; resources?: Record<string, KubeObject> },
): Promise<{ composite?: KubeObject; composed: Record<string, KubeObject> }> {
  const step = (composition.spec.pipeline as { input?: { inline?: { template?: string } } }[]).find(
    (s) => s.input?.inline?.template !== undefined,
  );
  const template = step?.input?.inline?.template;
  if (template === undefined) throw new Error('the Composition has no inline Go template step');

  const chart = mkdtempSync(join(tmpdir(), 'rtp-gotemplate-'));
  try {
    mkdirSync(join(chart, 'templates'));
    writeFileSync(
      join(chart, 'Chart.yaml'),
      'apiVersion: v2\nname: go-templating-step\nversion: 0.0.0\n',
    );
    // `with` makes the request the template's dot, as in function-go-templating.
    writeFileSync(
      join(chart, 'templates', 'step.yaml'),
      `{{- with .Values.request }}\n${template}\n{{- end }}\n`,
    );
    const request = {
      observed: {
        composite: { resource: observed.composite },
        resources: Object.fromEntries(
          Object.entries(observed.resources ?? {}).map(([name, resource]) => [name, { resource }]),
        ),
      },
    };
    const manifest = await Helm.locate().template(chart, { values: [{ request }] });
    const objects = parseAllDocuments(manifest)
      .map((doc) => doc.toJSON() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null && typeof o === 'object');
    const isComposite = (o: KubeObject) =>
      o.apiVersion === observed.composite.apiVersion && o.kind === observed.composite.kind;
    const composed = Object.fromEntries(
      objects
        .filter((o) => !isComposite(o))
        .map((o) => [
          o.metadata.annotations?.['gotemplating.fn.crossplane.io/composition-resource-name'] ??
            o.metadata.name,
          o,
        ]),
    );
    return { composite: objects.find(isComposite), composed };
  } finally {
    rmSync(chart, { recursive: true, force: true });
  }
}
