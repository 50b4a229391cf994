import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateAuthority, serviceAccountKeyPair, type CertificatePaths } from './openssl.js';

/** Every certificate and key of the local control plane. */
export interface ClusterPki {
  ca: CertificateAuthority;
  /** kube-apiserver's serving certificate: 127.0.0.1, localhost and the in-cluster names. */
  apiServer: CertificatePaths;
  /** The health endpoints' serving certificate of the host controllers (127.0.0.1). */
  loopbackServing: CertificatePaths;
  /** The harness's identity and every host controller's: a member of system:masters. */
  admin: CertificatePaths;
  /** Signs and verifies ServiceAccount tokens. */
  serviceAccountKeys: { key: string; pub: string };
}

export async function createClusterPki(runDir: string): Promise<ClusterPki> {
  const dir = join(runDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await CertificateAuthority.create(dir, 'rtp-local-cluster-ca');
  const apiServer = await ca.issue({
    name: 'kube-apiserver',
    commonName: 'kube-apiserver',
    ipAddresses: ['127.0.0.1', '10.96.0.1'],
    dnsNames: [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ],
    usage: 'server',
  });
  const loopbackServing = await ca.issue({
    name: 'loopback-serving',
    commonName: 'rtp-local-cluster-controllers',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
    usage: 'server',
  });
  const admin = await ca.issue({
    name: 'admin',
    commonName: 'rtp-local-cluster-admin',
    organizations: ['system:masters'],
    usage: 'client',
  });
  const serviceAccountKeys = await serviceAccountKeyPair(dir);
  return { ca, apiServer, loopbackServing, admin, serviceAccountKeys };
}
