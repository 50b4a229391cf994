// A tiny stand-in for a Kubernetes API server on 127.0.0.1, enough for Helm's `lookup`: discovery
// (/version, /api, /apis and their resource lists) plus GET of single objects and lists from an
// in-memory store. `helm template --dry-run=server --kubeconfig <kubeconfigPath>` renders against
// it (renderChart's `cluster` option), so a test can prove what a chart does on `helm upgrade`
// when its Secrets already exist.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from './render-chart.js';

interface ResourceType {
  groupVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** The API resources the fake serves; extend when a chart looks up another kind. */
const resourceTypes: ResourceType[] = [
  { groupVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { groupVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { groupVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { groupVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  {
    groupVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  },
  { groupVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { groupVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { groupVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { groupVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true },
  {
    groupVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
  { groupVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  {
    groupVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  },
  {
    groupVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  { groupVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true },
  {
    groupVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
];

const groupVersions = [...new Set(resourceTypes.map((type) => type.groupVersion))];

export class FakeKubernetesApi {
  /** Paths of the requests received, in order. */
  readonly requests: string[] = [];
  private readonly store = new Map<string, KubernetesObject>();

  private readonly server: Server = createServer((request, response) =>
    this.handle(request, response),
  );

  private constructor(
    private readonly dir: string,
    readonly kubeconfigPath: string,
  ) {}

  static async start(): Promise<FakeKubernetesApi> {
    const dir = await mkdtemp(join(tmpdir(), 'rtp-fake-kube-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    const api = new FakeKubernetesApi(dir, kubeconfigPath);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const { port } = api.server.address() as AddressInfo;
    await writeFile(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: 'fake', user: { token: 'fake' } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
        'current-context': 'fake',
      }),
      { mode: 0o600 },
    );
    return api;
  }

  /** Stores objects as if they had been applied (namespace defaults to `namespace`). */
  apply(objects: KubernetesObject[], namespace: string): void {
    for (const obj of objects) {
      const stored = {
        ...obj,
        metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? namespace },
      };
      this.store.set(
        this.key(obj.apiVersion, obj.kind, stored.metadata.namespace, obj.metadata.name),
        stored,
      );
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  private key(
    groupVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): string {
    return [groupVersion, kind, namespace ?? '', name].join('|');
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://fake').pathname.replace(/\/$/, '');
    this.requests.push(`${request.method} ${path}`);
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const notFound = (): void =>
      send(404, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
      });

    if (request.method !== 'GET') return send(405, { kind: 'Status', code: 405 });
    if (path === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
    if (path === '/apis') {
      const groups = groupVersions
        .filter((gv) => gv.includes('/'))
        .map((gv) => {
          const [group, version] = gv.split('/') as [string, string];
          const preferred = { groupVersion: gv, version };
          return { name: group, versions: [preferred], preferredVersion: preferred };
        });
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const match =
      /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+)(?:\/([^/]+))?)?$/.exec(
        path,
      );
    if (!match) return notFound();
    const [, core, grouped, namespace, plural, name] = match;
    const groupVersion = (core ?? grouped) as string;
    if (!plural) {
      const resources = resourceTypes
        .filter((type) => type.groupVersion === groupVersion)
        .map((type) => ({
          name: type.plural,
          singularName: type.kind.toLowerCase(),
          namespaced: type.namespaced,
          kind: type.kind,
          verbs: ['get', 'list'],
        }));
      return resources.length
        ? send(200, { kind: 'APIResourceList', groupVersion, resources })
        : notFound();
    }
    const type = resourceTypes.find((t) => t.groupVersion === groupVersion && t.plural === plural);
    if (!type) return notFound();
    if (name) {
      const found = this.store.get(this.key(groupVersion, type.kind, namespace, name));
      return found ? send(200, found) : notFound();
    }
    const items = [...this.store.values()].filter(
      (obj) =>
        obj.apiVersion === groupVersion &&
        obj.kind === type.kind &&
        (namespace === undefined || obj.metadata.namespace === namespace),
    );
    return send(200, { kind: `${type.kind}List`, apiVersion: groupVersion, metadata: {}, items });
  }
}
