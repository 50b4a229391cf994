import { renderAddonTemplate, type KubeObject, type RenderedAddon } from '../../src/index.js';

/**
 * renderAddonTemplate that must succeed (the tests' addon parameters are valid). provider-helm is
 * bound in `apps`, where the examples' claims live, unless the parameters say where (the addon
 * refuses to choose: no tenant namespaces and no explicit clusterWide is an error).
 */
export async function renderAddonOk(
  parameters: Record<string, unknown> = {
    chartRepository: 'https://charts.example.test/realtime-platform',
  },
): Promise<RenderedAddon> {
  const providerHelm = (parameters.providerHelm ?? {}) as Record<string, unknown>;
  const scoped = 'tenantNamespaces' in providerHelm || 'clusterWide' in providerHelm;
  const result = await renderAddonTemplate(
    scoped
      ? parameters
      : { ...parameters, providerHelm: { ...providerHelm, tenantNamespaces: ['apps'] } },
  );
  if (!result.ok) throw new Error(`template.cue failed to render: ${result.stderr}`);
  return result.rendered;
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
