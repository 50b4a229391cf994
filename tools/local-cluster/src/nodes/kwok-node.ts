import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, waitUntilReady } from '@realtime-platform/local-infra';
import { GoTool, goToolModulePath } from '@realtime-platform/toolchain';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeApi, KubeObject } from '../kube/kube-api.js';
import { configReadyAnnotation } from './pod-config-gate.js';

/** The one node every pod is scheduled to; kwok plays its kubelet. */
export const kwokNodeName = 'kwok-node-0';

/**
 * kwok's own stage definitions (kept from its module by install-go-tools.sh): nodes become Ready
 * and keep a lease; pods go Pending -> Running, Jobs' pods Succeeded, deleted pods go away.
 * Two changes: a pod becomes Running only once the PodConfigGate found every Secret and
 * ConfigMap it needs (a kubelet refuses to start it before), and the stages' random delays are
 * shorter than kwok's demo defaults (1-6 s a stage): timing is not what is under test.
 */
const stageFiles = [
  'node/fast/node-initialize.yaml',
  'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'pod/general/pod-create.yaml',
  'pod/general/pod-init-container-running.yaml',
  'pod/general/pod-init-container-completed.yaml',
  'pod/general/pod-ready.yaml',
  'pod/general/pod-complete.yaml',
  'pod/general/pod-delete.yaml',
];

interface Stage {
  metadata: { name: string };
  spec: {
    selector?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] };
    delay?: { durationMilliseconds?: number; jitterDurationMilliseconds?: number };
  };
}

export function kwokStages(): string {
  const root = goToolModulePath('kwok', 'kustomize/stage');
  const stages: Stage[] = [];
  for (const file of stageFiles) {
    for (const doc of parseAllDocuments(readFileSync(join(root, file), 'utf8'))) {
      const stage = doc.toJSON() as Stage | null;
      if (!stage) continue;
      if (stage.spec.delay) {
        stage.spec.delay.durationMilliseconds = Math.min(
          stage.spec.delay.durationMilliseconds ?? 0,
          200,
        );
        stage.spec.delay.jitterDurationMilliseconds = Math.min(
          stage.spec.delay.jitterDurationMilliseconds ?? 0,
          300,
        );
      }
      if (stage.metadata.name === 'pod-ready') {
        stage.spec.selector ??= {};
        stage.spec.selector.matchExpressions ??= [];
        stage.spec.selector.matchExpressions.push({
          key: `.metadata.annotations["${configReadyAnnotation}"]`,
          operator: 'In',
          values: ['true'],
        });
      }
      stages.push(stage);
    }
  }
  return stages.map((stage) => stringify(stage)).join('---\n');
}

/** kwok managing one fake node; resolves once the node is Ready. */
export class KwokNode {
  private constructor(private readonly process: ManagedProcess) {}

  static async start(runDir: string, kubeconfig: string, api: KubeApi): Promise<KwokNode> {
    const binary = GoTool.locate('kwok').binary;
    const config = join(runDir, 'kwok-stages.yaml');
    writeFileSync(config, kwokStages());
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: kwokNodeName,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/hostname': kwokNodeName,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          type: 'kwok',
        },
      },
      spec: {},
    };
    await api.createIfMissing('/api/v1/nodes', node);
    const managed = new ManagedProcess({
      service: 'kwok',
      command: binary,
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--config=${config}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        // Without it the node flaps NotReady and Deployments never become Available.
        '--node-lease-duration-seconds=40',
        '--node-ip=127.0.0.1',
        '--cidr=10.244.0.0/16',
        `--server-address=127.0.0.1:${await freePort()}`,
      ],
      logFile: join(runDir, 'kwok.log'),
    });
    await waitUntilReady({
      process: managed,
      probe: async () => {
        const current = await api.get<KubeObject>(`/api/v1/nodes/${kwokNodeName}`);
        const conditions = (current?.status?.conditions ?? []) as {
          type: string;
          status: string;
        }[];
        return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      },
      timeoutMs: 60_000,
    });
    return new KwokNode(managed);
  }

  get logFile(): string {
    return this.process.logFile;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
  }
}
