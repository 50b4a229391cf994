import type { KubeApi } from '../kube/kube-api.js';

/** The cluster's default StorageClass: claims bind to the pre-made volumes below. */
export const storageClassName = 'local-pool';

/**
 * Statically provisioned PersistentVolumes, so PVCs (Kafka's, PostgreSQL's) become Bound the way
 * helm --wait requires: kube-controller-manager's binder matches each claim to a free volume of
 * the default class. No kubelet mounts them (kwok), so they hold no data; they are records.
 * Released volumes are not reused (Retain), as a claim left behind by helm uninstall keeps its own.
 */
export async function createVolumePool(api: KubeApi, size: number): Promise<void> {
  await api.createIfMissing('/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: storageClassName,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'Immediate',
    reclaimPolicy: 'Retain',
  });
  for (let i = 0; i < size; i += 1) {
    const name = `local-pool-${String(i).padStart(3, '0')}`;
    await api.createIfMissing('/api/v1/persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '1Ti' },
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName,
        hostPath: { path: `/var/lib/rtp-local-cluster/${name}`, type: '' },
      },
    });
  }
}
