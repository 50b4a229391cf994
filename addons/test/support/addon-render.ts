import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GoTool } from '@realtime-platform/toolchain';
import { parse } from 'yaml';
import { addonDir } from '../../src/index.js';
import type { KubeObject } from './kube-object.js';

/** The real CUE CLI, at the version KubeVela v1.10.6 embeds (cuelang.org/go v0.9.2). */
export const cue = GoTool.locate('cue');

export const addonMetadata = parse(readFileSync(join(addonDir, 'metadata.yaml'), 'utf8')) as {
  name: string;
  version: string;
};

/** Parameters every render needs (chartRepository has no default on purpose). */
export const baseParameters = { chartRepository: 'https://charts.example.test/realtime-platform' };

export interface RenderedAddon {
  app: {
    spec: {
      components: { name: string; type: string; properties: { objects: KubeObject[] } }[];
      policies: { name: string; type: string; properties: unknown }[];
    };
  };
  /** Every object of every k8s-objects component, with the component it belongs to. */
  objects: (KubeObject & { component: string })[];
}

function cueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.cue'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Renders template.cue the way `vela addon enable` does (KubeVela pkg/addon/render.go): one
 * `package main` instance of parameter.cue, a `context` with the addon metadata, the parameter
 * values, template.cue and every `package main` file under resources/ - evaluated by the real CUE CLI.
 */
export async function renderAddon(
  parameters: Record<string, unknown> = baseParameters,
): Promise<{ exitCode: number; stderr: string; rendered?: RenderedAddon }> {
  const dir = mkdtempSync(join(tmpdir(), 'rtp-addon-render-'));
  try {
    const context = [
      'package main',
      readFileSync(join(addonDir, 'parameter.cue'), 'utf8'),
      `context: ${JSON.stringify({ metadata: addonMetadata })}`,
      `parameter: ${JSON.stringify(parameters)}`,
    ].join('\n');
    writeFileSync(join(dir, 'context.cue'), context);
    cpSync(join(addonDir, 'template.cue'), join(dir, 'template.cue'));
    for (const file of cueFiles(join(addonDir, 'resources'))) {
      const flat = relative(join(addonDir, 'resources'), file).replaceAll('/', '-');
      cpSync(file, join(dir, `resources-${flat}`));
    }
    const files = readdirSync(dir).filter((f) => f.endsWith('.cue'));
    const result = await cue.run(['export', '--out', 'json', '-e', 'output', ...files], {
      cwd: dir,
    });
    if (result.exitCode !== 0) return { exitCode: result.exitCode, stderr: result.stderr };
    const app = JSON.parse(result.stdout) as RenderedAddon['app'];
    const objects = app.spec.components.flatMap((component) =>
      component.properties.objects.map((object) => ({ ...object, component: component.name })),
    );
    return { exitCode: 0, stderr: result.stderr, rendered: { app, objects } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** renderAddon that must succeed. */
export async function renderAddonOk(parameters: Record<string, unknown> = baseParameters) {
  const result = await renderAddon(parameters);
  if (!result.rendered) throw new Error(`template.cue failed to render: ${result.stderr}`);
  return result.rendered;
}

export function objectOf(rendered: RenderedAddon, kind: string, name: string): KubeObject {
  const found = rendered.objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`the addon renders no ${kind}/${name}`);
  // Drop the test's own bookkeeping field.
  const { component: _component, ...object } = found as KubeObject & { component?: string };
  return object as KubeObject;
}

/**
 * A ComponentDefinition object as a definition .cue file (the format `vela def vet` reads): the
 * template string installed, with its imports hoisted to the top.
 */
export function definitionObjectToCue(definition: KubeObject): string {
  const template = definition.spec.schematic.cue.template as string;
  const importBlock = /^\s*import\s*\([^)]*\)\s*/.exec(template)?.[0] ?? '';
  const body = template.slice(importBlock.length);
  const header = {
    type: 'component',
    annotations: {},
    labels: {},
    description: definition.metadata.annotations?.['definition.oam.dev/description'] ?? '',
    attributes: { workload: definition.spec.workload, status: definition.spec.status },
  };
  return `${importBlock.trim()}\n\n${JSON.stringify(definition.metadata.name)}: ${JSON.stringify(header, null, '\t')}\ntemplate: {\n${body}\n}\n`;
}
