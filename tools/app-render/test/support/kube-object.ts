import type { KubeObject } from '../../src/index.js';

/** The object of a kind and name; throws listing what there is. */
export function findObject(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`no ${kind}/${name} in [${have}]`);
  }
  return found;
}

/** The container of a pod-template workload. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function containerOf(workload: KubeObject, name?: string): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const containers = workload.spec.template.spec.containers as any[];
  return name === undefined ? containers[0] : containers.find((c) => c.name === name);
}

/** `envFrom` as the list of source names, in order: `secret:x`, `configMap:y`. */
export function envFromNames(container: { envFrom?: unknown[] }): string[] {
  return (container.envFrom ?? []).map((source) => {
    const s = source as { secretRef?: { name: string }; configMapRef?: { name: string } };
    return s.secretRef ? `secret:${s.secretRef.name}` : `configMap:${s.configMapRef?.name}`;
  });
}

/** `env` as a name → value map (valueFrom entries as their fieldPath). */
export function envMap(container: { env?: unknown[] }): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).map((entry) => {
      const e = entry as {
        name: string;
        value?: string;
        valueFrom?: { fieldRef?: { fieldPath: string } };
      };
      return [e.name, e.value ?? `fieldRef:${e.valueFrom?.fieldRef?.fieldPath}`];
    }),
  );
}
