import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@realtime-platform/app-render';
import { parse } from 'yaml';
import { writeManifestDirectory } from '../../src/app-rendering/manifest-output.js';

// The files `rtp render -o` writes, on the real file system: Secrets readable by their owner only.

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'health-data-db-secret' },
  data: { DB_PASSWORD: Buffer.from('generated-password-0001').toString('base64') },
} as KubeObject;
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'health-data-postgresql-init' },
  data: { 'init.sql': 'SELECT 1;' },
} as KubeObject;

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('writeManifestDirectory', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtp-manifest-output-'));
    // The most permissive umask: whatever mode a Secret gets, the writer chose it.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes Secrets with mode 0600 and every other object as the umask allows', () => {
    const result = writeManifestDirectory(dir, [
      { path: '40-helm/platform/secret-health-data-db-secret.yaml', object: secret },
      { path: '40-helm/platform/configmap-health-data-postgresql-init.yaml', object: configMap },
    ]);
    expect(result).toEqual({ secrets: 1 });
    const secretFile = join(dir, '40-helm/platform/secret-health-data-db-secret.yaml');
    expect(modeOf(secretFile)).toBe(0o600);
    expect(parse(readFileSync(secretFile, 'utf8'))).toEqual(secret);
    expect(modeOf(join(dir, '40-helm/platform/configmap-health-data-postgresql-init.yaml'))).toBe(
      0o666,
    );
  });

  it('gives a Secret that replaces an earlier, world-readable render mode 0600 too', () => {
    const path = '40-helm/platform/secret-health-data-db-secret.yaml';
    writeManifestDirectory(dir, [{ path, object: configMap }]);
    expect(modeOf(join(dir, path))).toBe(0o666);
    writeManifestDirectory(dir, [{ path, object: secret }]);
    expect(modeOf(join(dir, path))).toBe(0o600);
  });
});
