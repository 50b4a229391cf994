import { parseAllDocuments, stringify } from 'yaml';

/** A Kubernetes object as YAML gives it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

/** The objects of a multi-document YAML stream (empty and non-object documents dropped). */
export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as unknown)
    .filter((o): o is KubeObject => typeof o === 'object' && o !== null && !Array.isArray(o));
}

/** Objects as one multi-document YAML stream. */
export function manifestsToYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
