import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { configReadyAnnotation, kwokStages, requiredReferences } from '../src/index.js';

describe('requiredReferences (what a kubelet needs before it starts a pod)', () => {
  it('collects the Secrets and ConfigMaps of env, envFrom and volumes, with the keys env reads', () => {
    const refs = requiredReferences({
      initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'init-config' } }] }],
      containers: [
        {
          name: 'app',
          env: [
            { valueFrom: { secretKeyRef: { name: 'db', key: 'DB_PASSWORD' } } },
            { valueFrom: { configMapKeyRef: { name: 'settings', key: 'LEVEL' } } },
          ],
          envFrom: [{ secretRef: { name: 'health-data-kafka-secret' } }],
        },
      ],
      volumes: [
        { secret: { secretName: 'tls' } },
        { configMap: { name: 'scripts' } },
        { projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } },
      ],
    });
    expect(refs).toEqual([
      { kind: 'configmap', name: 'init-config' },
      { kind: 'secret', name: 'db', key: 'DB_PASSWORD' },
      { kind: 'configmap', name: 'settings', key: 'LEVEL' },
      { kind: 'secret', name: 'health-data-kafka-secret' },
      { kind: 'secret', name: 'tls' },
      { kind: 'configmap', name: 'scripts' },
      { kind: 'configmap', name: 'kube-root-ca.crt' },
    ]);
  });

  it('skips optional references, which never hold a pod back', () => {
    expect(
      requiredReferences({
        containers: [
          {
            name: 'app',
            env: [{ valueFrom: { secretKeyRef: { name: 'maybe', key: 'X', optional: true } } }],
            envFrom: [{ secretRef: { name: 'maybe-too', optional: true } }],
          },
        ],
        volumes: [{ secret: { secretName: 'optional-tls', optional: true } }],
      }),
    ).toEqual([]);
  });
});

describe('kwokStages', () => {
  it("makes a pod Running only once the gate annotated it, with kwok's own stages otherwise", () => {
    const stages = parseAllDocuments(kwokStages()).map(
      (doc) =>
        doc.toJSON() as {
          metadata: { name: string };
          spec: { selector: { matchExpressions: { key: string; values?: string[] }[] } };
        },
    );
    expect(stages.map((s) => s.metadata.name)).toEqual([
      'node-initialize',
      'node-heartbeat-with-lease',
      'pod-create',
      'pod-init-container-running',
      'pod-init-container-completed',
      'pod-ready',
      'pod-complete',
      'pod-delete',
    ]);
    const ready = stages.find((s) => s.metadata.name === 'pod-ready');
    expect(ready?.spec.selector.matchExpressions).toContainEqual({
      key: `.metadata.annotations["${configReadyAnnotation}"]`,
      operator: 'In',
      values: ['true'],
    });
  });
});
