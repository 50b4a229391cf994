import type { KubeObject, RenderedApplication } from '@realtime-platform/app-render';

/** The stages of a render, as the folders `rtp render -o <dir>` writes. */
export const renderStages = {
  application: '10-application',
  claims: '20-claims',
  composed: '30-composed',
  helm: '40-helm',
} as const;

export interface ManifestFile {
  /** Relative to the output directory: `<stage>/[<claim or release>/]<kind>-<name>.yaml`. */
  path: string;
  object: KubeObject;
}

const safe = (text: string): string => text.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');

/**
 * Where every rendered object goes: what vela renders besides the claims in 10-application, the
 * claims in 20-claims, each claim's composite and composed resources in 30-composed/<claim>, each
 * Release's chart objects in 40-helm/<release>. One file per object, named `<kind>-<name>.yaml`
 * (a repeated name gets `-2`, `-3`, ...). The order is the render's: stage by stage, each in the
 * order its tool printed.
 */
export function manifestLayout(rendered: RenderedApplication): ManifestFile[] {
  const files: ManifestFile[] = [];
  const taken = new Set<string>();
  const add = (folder: string, object: KubeObject) => {
    const base = `${folder}/${safe(object.kind)}-${safe(object.metadata.name)}`;
    let path = `${base}.yaml`;
    for (let n = 2; taken.has(path); n++) path = `${base}-${n}.yaml`;
    taken.add(path);
    files.push({ path, object });
  };
  for (const object of rendered.workloads) add(renderStages.application, object);
  for (const claim of rendered.claims) add(renderStages.claims, claim);
  for (const { claim, composite, resources } of rendered.composed) {
    const folder = `${renderStages.composed}/${safe(claim.metadata.name)}`;
    add(folder, composite);
    for (const resource of resources) add(folder, resource);
  }
  for (const { templated } of rendered.releases) {
    const folder = `${renderStages.helm}/${safe(templated.releaseName)}`;
    for (const object of templated.objects) add(folder, object);
  }
  return files;
}
