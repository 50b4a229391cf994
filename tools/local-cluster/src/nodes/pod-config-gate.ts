import type { KubeApi, KubeList, KubeObject } from '../kube/kube-api.js';
import { ReconcileLoop } from '../kube/reconcile-loop.js';

/** Set on a pod once every Secret and ConfigMap it needs exists; kwok's pod-ready stage waits for it. */
export const configReadyAnnotation = 'kwok.rtp.local/config-ready';

interface KeyRef {
  name: string;
  key?: string;
  optional?: boolean;
}

interface Container {
  name: string;
  image?: string;
  env?: { valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } }[];
  envFrom?: { secretRef?: KeyRef; configMapRef?: KeyRef }[];
}

interface PodSpec {
  nodeName?: string;
  containers: Container[];
  initContainers?: Container[];
  volumes?: {
    secret?: { secretName: string; optional?: boolean };
    configMap?: { name: string; optional?: boolean };
    projected?: {
      sources?: { secret?: KeyRef; configMap?: KeyRef }[];
    };
  }[];
}

type Pod = KubeObject & { spec: PodSpec; status?: { phase?: string; podIP?: string } };

interface Reference {
  kind: 'secret' | 'configmap';
  name: string;
  key?: string;
}

/** The Secrets and ConfigMaps (and keys) a pod cannot start without, as a kubelet reads them. */
export function requiredReferences(spec: PodSpec): Reference[] {
  const refs: Reference[] = [];
  const add = (kind: Reference['kind'], ref: KeyRef | undefined, withKey: boolean): void => {
    if (!ref || ref.optional) return;
    refs.push({ kind, name: ref.name, ...(withKey && ref.key ? { key: ref.key } : {}) });
  };
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const env of container.env ?? []) {
      add('secret', env.valueFrom?.secretKeyRef, true);
      add('configmap', env.valueFrom?.configMapKeyRef, true);
    }
    for (const source of container.envFrom ?? []) {
      add('secret', source.secretRef, false);
      add('configmap', source.configMapRef, false);
    }
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.secret && !volume.secret.optional)
      refs.push({ kind: 'secret', name: volume.secret.secretName });
    add('configmap', volume.configMap, false);
    for (const source of volume.projected?.sources ?? []) {
      add('secret', source.secret, false);
      add('configmap', source.configMap, false);
    }
  }
  return refs;
}

/**
 * The part of a kubelet kwok does not play: a container starts only when the Secrets and
 * ConfigMaps it reads exist (else it waits in CreateContainerConfigError, e.g. an app whose
 * realtime platform does not exist). Polls the node's pending pods; frees a pod by annotating it.
 */
export class PodConfigGate {
  // Ticks retry what failed (the API server may be restarting or stopping).
  private readonly loop: ReconcileLoop;

  constructor(
    private readonly api: KubeApi,
    private readonly nodeName: string,
    intervalMs = 500,
  ) {
    this.loop = new ReconcileLoop(() => this.tick(), intervalMs);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async tick(): Promise<void> {
    const pods = await this.api.get<KubeList<Pod>>(
      `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${this.nodeName},status.phase=Pending`)}`,
    );
    const waiting = (pods?.items ?? []).filter(
      (pod) =>
        pod.metadata.annotations?.[configReadyAnnotation] !== 'true' &&
        !pod.metadata.deletionTimestamp,
    );
    const data = new Map<string, Map<string, Record<string, string>>>();
    const objectsOf = async (namespace: string, kind: Reference['kind']) => {
      const cacheKey = `${namespace}/${kind}`;
      let objects = data.get(cacheKey);
      if (!objects) {
        const path = kind === 'secret' ? 'secrets' : 'configmaps';
        const list = await this.api.get<KubeList<KubeObject & { data?: Record<string, string> }>>(
          `/api/v1/namespaces/${namespace}/${path}`,
        );
        objects = new Map((list?.items ?? []).map((o) => [o.metadata.name, o.data ?? {}]));
        data.set(cacheKey, objects);
      }
      return objects;
    };
    for (const pod of waiting) {
      const namespace = pod.metadata.namespace ?? 'default';
      const missing: string[] = [];
      for (const ref of requiredReferences(pod.spec)) {
        const object = (await objectsOf(namespace, ref.kind)).get(ref.name);
        const label = ref.kind === 'secret' ? 'secret' : 'configmap';
        if (!object) missing.push(`${label} "${ref.name}" not found`);
        else if (ref.key && !(ref.key in object))
          missing.push(`couldn't find key ${ref.key} in ${label} ${namespace}/${ref.name}`);
      }
      const podPath = `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`;
      if (missing.length === 0) {
        await this.api.mergePatch(podPath, {
          metadata: { annotations: { [configReadyAnnotation]: 'true' } },
        });
      } else if (pod.status?.podIP) {
        // As a kubelet reports it (after kwok's pod-create stage wrote the pod's first status).
        const message = missing.join('; ');
        const statuses = (
          pod.status as { containerStatuses?: { state?: { waiting?: { message?: string } } }[] }
        ).containerStatuses;
        if (statuses?.[0]?.state?.waiting?.message === message) continue;
        await this.api.mergePatch(`${podPath}/status`, {
          status: {
            containerStatuses: pod.spec.containers.map((c) => ({
              name: c.name,
              image: c.image ?? '',
              imageID: '',
              ready: false,
              started: false,
              restartCount: 0,
              state: { waiting: { reason: 'CreateContainerConfigError', message } },
            })),
          },
        });
      }
    }
  }
}
