import { describe, expect, it } from '@jest/globals';
import {
  kubernetesObjectProblems,
  kubernetesProblems,
  type KubernetesObject,
} from '../src/index.js';

const deployment = (container: Record<string, unknown>): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
  },
});

// The validator is only worth something if it rejects what the API server would reject.
describe('kubernetesObjectProblems (the schema check the chart and rtp render tests rely on)', () => {
  it('accepts a valid Deployment, Secret and Role', async () => {
    expect(
      await kubernetesProblems([
        deployment({ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { a: 'YQ==' } },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'reader' },
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
        },
      ]),
    ).toEqual([]);
  });

  it('reports a wrong type with its JSON path', async () => {
    const problems = await kubernetesObjectProblems(
      deployment({ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: '80' }] }),
    );
    expect(problems).toEqual([
      expect.stringContaining(
        'apps/v1 Deployment/web: /spec/template/spec/containers/0/ports/0/containerPort must be integer',
      ),
    ]);
  });

  it('reports a missing required field', async () => {
    const problems = await kubernetesObjectProblems(deployment({ image: 'nginx:1.27' }));
    expect(problems.join('\n')).toContain(
      '/spec/template/spec/containers/0 must have required property name',
    );
  });

  it('reports a kind the schemas do not know instead of skipping it', async () => {
    expect(
      await kubernetesObjectProblems({
        apiVersion: 'apps/v1',
        kind: 'Deploymnet',
        metadata: { name: 'x' },
      }),
    ).toEqual([
      'apps/v1 Deploymnet/x: no Kubernetes schema for apiVersion "apps/v1" kind "Deploymnet"',
    ]);
    expect(
      await kubernetesObjectProblems({
        apiVersion: 'example.org/v9',
        kind: 'Widget',
        metadata: { name: 'x' },
      }),
    ).toEqual([
      'example.org/v9 Widget/x: no Kubernetes schema for apiVersion "example.org/v9" kind "Widget"',
    ]);
  });

  it('reports names and label values the API server refuses', async () => {
    const problems = await kubernetesProblems([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: '1-starts-with-a-digit' }, spec: {} },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'Upper_Case', labels: { a: 'x'.repeat(64) } },
      },
    ]);
    expect(problems).toEqual([
      expect.stringContaining('metadata.name "1-starts-with-a-digit" is not a DNS-1035 label'),
      expect.stringContaining('metadata.name "Upper_Case" is not a DNS-1123 subdomain'),
      expect.stringContaining('label a="xxxx'),
    ]);
  });
});
