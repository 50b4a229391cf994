import { describe, expect, it } from '@jest/globals';
import { goModuleToolSpec } from '@realtime-platform/toolchain';
import { useLocalCluster } from '../src/jest/index.js';
import { KubeApi, kwokNodeName, waitFor, type KubeObject } from '../src/index.js';

const cluster = useLocalCluster({});

const namespace = 'harness';

async function apply(objects: KubeObject[]): Promise<void> {
  await cluster().kubectl.apply(objects);
}

describe('LocalCluster (etcd, kube-apiserver, controller-manager, scheduler, kwok)', () => {
  it('serves the Kubernetes version it was built as, to the real kubectl', async () => {
    const version = JSON.parse(await cluster().kubectl.must(['version', '-o', 'json'])) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    const built = goModuleToolSpec('kubernetes').version;
    expect(version.serverVersion.gitVersion).toBe(built);
    expect(version.clientVersion.gitVersion).toBe(built);
  });

  it('refuses a client without a client certificate (anonymous) and one without the right role', async () => {
    const anonymous = new KubeApi({
      server: cluster().apiServerUrl,
      caFile: cluster().pki.ca.cert,
    });
    try {
      const response = await anonymous.raw('GET', '/api/v1/secrets');
      expect(response.status).toBe(403);
      expect(response.body).toContain('system:anonymous');
    } finally {
      anonymous.close();
    }
    const impersonated = await cluster().kubectl.run([
      'get',
      'secrets',
      '-A',
      '--as=system:serviceaccount:default:default',
    ]);
    expect(impersonated.exitCode).not.toBe(0);
    expect(impersonated.stderr).toContain('Forbidden');
  });

  it('runs a Deployment to Available on the kwok node, with a ServiceAccount and a bound PVC', async () => {
    await apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [{ name: 'web', image: 'registry.example/web:1.0.0' }],
              volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
            },
          },
        },
      },
    ]);
    await cluster().kubectl.must([
      'wait',
      '-n',
      namespace,
      '--for=condition=Available',
      'deployment/web',
      '--timeout=90s',
    ]);
    const pods = await cluster().kubectl.list<KubeObject>('pods', {
      namespace,
      selector: 'app=web',
    });
    expect(pods.map((p) => [(p.spec as { nodeName?: string }).nodeName, p.status?.phase])).toEqual([
      [kwokNodeName, 'Running'],
      [kwokNodeName, 'Running'],
    ]);
    const claim = await cluster().kubectl.getJson('pvc', 'data', namespace);
    expect(claim?.status?.phase).toBe('Bound');
  });

  it('completes a Job (its pod Succeeded)', async () => {
    await apply([
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', namespace },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'once', image: 'registry.example/job:1.0.0' }],
            },
          },
        },
      },
    ]);
    await cluster().kubectl.must([
      'wait',
      '-n',
      namespace,
      '--for=condition=Complete',
      'job/once',
      '--timeout=90s',
    ]);
  });

  it('keeps a pod waiting in CreateContainerConfigError until the Secret it loads exists, as a kubelet does', async () => {
    await apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'needs-secret', namespace },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example/app:1.0.0',
              envFrom: [{ secretRef: { name: 'late-secret' } }],
            },
          ],
        },
      },
    ]);
    const waiting = await waitFor(
      async () => {
        const pod = await cluster().kubectl.getJson('pod', 'needs-secret', namespace);
        const state = (
          pod?.status?.containerStatuses as
            { state?: { waiting?: { reason?: string; message?: string } } }[] | undefined
        )?.[0]?.state?.waiting;
        return state?.reason === 'CreateContainerConfigError' ? { pod, state } : undefined;
      },
      { what: 'pod needs-secret in CreateContainerConfigError' },
    );
    expect(waiting.state.message).toBe('secret "late-secret" not found');
    expect(waiting.pod?.status?.phase).toBe('Pending');
    await apply([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'late-secret', namespace },
        stringData: { KEY: 'value' },
      },
    ]);
    await cluster().kubectl.must([
      'wait',
      '-n',
      namespace,
      '--for=condition=Ready',
      'pod/needs-secret',
      '--timeout=60s',
    ]);
  });

  it('runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok as live processes', () => {
    const pids = cluster().pids();
    expect(pids).toHaveLength(5);
    for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();
  });
});

describe('PodSandbox', () => {
  it('runs a process as its ServiceAccount (in-cluster config) in its own network namespace', async () => {
    const { PodSandbox } = await import('../src/index.js');
    const { readFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    await apply([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'probe', namespace } },
    ]);
    const token = (
      await cluster().kubectl.must(['create', 'token', 'probe', '-n', namespace])
    ).trim();
    const port = Number(new URL(cluster().apiServerUrl).port);
    const runs = [];
    for (const name of ['first', 'second']) {
      // Both bind 127.0.0.1:8080, as two controllers with a fixed metrics port would.
      const script = `require('net').createServer().listen(8080, '127.0.0.1', () => {
        require('child_process').execFileSync(process.argv[1], ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { stdio: 'inherit' });
        process.exit(0);
      });`;
      const runDir = mkdtempSync(join(tmpdir(), `rtp-sandbox-${name}-`));
      runs.push({
        runDir,
        run: await PodSandbox.start({
          service: `probe-${name}`,
          command: process.execPath,
          args: ['-e', script, (cluster().kubectl as unknown as { binary: string }).binary],
          runDir,
          hostPorts: [port],
          apiServerPort: port,
          serviceAccount: {
            token,
            caCertificate: readFileSync(cluster().pki.ca.cert, 'utf8'),
            namespace,
          },
        }),
      });
    }
    try {
      for (const { run, runDir } of runs) {
        await waitFor(async () => !run.running, { what: 'the sandboxed probe to exit' });
        expect(readFileSync(run.logFile, 'utf8')).toContain(
          `system:serviceaccount:${namespace}:probe`,
        );
        // The port forwarder (its pid in the ready file) leaves with the pod's process, stop() or not.
        const forwarder = Number(readFileSync(join(runDir, 'forwarder.ready'), 'utf8'));
        await waitFor(
          async () => {
            try {
              // Gone, or a zombie not yet reaped.
              return readFileSync(`/proc/${forwarder}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z';
            } catch {
              return true;
            }
          },
          { what: `the sandbox's port forwarder (pid ${forwarder}) to exit with its pod` },
        );
        await run.stop();
      }
    } finally {
      for (const { runDir } of runs) rmSync(runDir, { recursive: true, force: true });
    }
  });
});
