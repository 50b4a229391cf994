import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigUser {
  certFile?: string;
  keyFile?: string;
  token?: string;
}

/**
 * A kubeconfig with one cluster, user and context. Certificates are embedded (base64), so the
 * file works anywhere - provider-helm and helm copy kubeconfigs into Secrets and temp files.
 */
export function writeKubeconfig(
  path: string,
  options: { server: string; caFile: string; user: KubeconfigUser; name?: string },
): string {
  const name = options.name ?? 'local';
  const b64 = (file: string): string => readFileSync(file).toString('base64');
  const user: Record<string, string> = {};
  if (options.user.certFile) user['client-certificate-data'] = b64(options.user.certFile);
  if (options.user.keyFile) user['client-key-data'] = b64(options.user.keyFile);
  if (options.user.token) user.token = options.user.token;
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: { server: options.server, 'certificate-authority-data': b64(options.caFile) },
        },
      ],
      users: [{ name, user }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
    }),
    { mode: 0o600 },
  );
  return path;
}
