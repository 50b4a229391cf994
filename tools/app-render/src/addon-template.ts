import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { addonDir } from '@realtime-platform/addons';
import type { KubeObject } from './kube-object.js';
import { renderErrors } from './render.errors.js';
import { goTool } from './render-tools.js';

export interface AddonMetadata {
  name: string;
  version: string;
}

/** addons/realtime-platform/metadata.yaml. */
export function addonMetadata(): AddonMetadata {
  return parse(readFileSync(join(addonDir, 'metadata.yaml'), 'utf8')) as AddonMetadata;
}

/** The Application template.cue outputs, and every object its k8s-objects components install. */
export interface RenderedAddon {
  app: {
    spec: {
      components: { name: string; type: string; properties: { objects: KubeObject[] } }[];
      policies: { name: string; type: string; properties: unknown }[];
    };
  };
  /** Every object of every component, in order. */
  objects: KubeObject[];
}

export type AddonTemplateResult =
  { ok: true; rendered: RenderedAddon } | { ok: false; exitCode: number; stderr: string };

function cueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.cue'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Renders template.cue the way `vela addon enable realtime-platform key=value ...` does (KubeVela
 * pkg/addon/render.go): one `package main` instance of parameter.cue, a `context` with the addon
 * metadata, the parameter values, template.cue and every `package main` file under resources/,
 * evaluated by the real CUE CLI (the version KubeVela embeds). Invalid parameters are a result
 * with CUE's message, not an exception.
 */
export async function renderAddonTemplate(
  parameters: Record<string, unknown>,
): Promise<AddonTemplateResult> {
  const cue = goTool('cue');
  const dir = mkdtempSync(join(tmpdir(), 'rtp-addon-render-'));
  try {
    const context = [
      'package main',
      readFileSync(join(addonDir, 'parameter.cue'), 'utf8'),
      `context: ${JSON.stringify({ metadata: addonMetadata() })}`,
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
    if (result.exitCode !== 0)
      return { ok: false, exitCode: result.exitCode, stderr: result.stderr };
    const app = JSON.parse(result.stdout) as RenderedAddon['app'];
    const objects = app.spec.components.flatMap((component) => component.properties.objects);
    return { ok: true, rendered: { app, objects } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one object of a kind and name the addon installs; throws naming it when there is none. */
export function objectOf(rendered: RenderedAddon, kind: string, name: string): KubeObject {
  const found = rendered.objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw renderErrors.ADDON_OBJECT_MISSING({ kind, name });
  return found;
}

/** The definitions template.cue installs (realtime-service; webservice with overrideWebservice). */
export function installedDefinitions(rendered: RenderedAddon): KubeObject[] {
  return rendered.objects.filter(
    (o) => o.apiVersion.startsWith('core.oam.dev/') && o.kind.endsWith('Definition'),
  );
}
