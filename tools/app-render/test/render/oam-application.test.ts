import { describe, expect, it } from '@jest/globals';
import { formatProblem, parseApplication } from '../../src/index.js';

const problemsOf = (text: string): string[] => {
  const result = parseApplication(text);
  return result.ok ? [] : result.problems.map(formatProblem);
};

describe('parseApplication (the shape rtp validate checks before any tool runs)', () => {
  it('reads components, traits, policies and the namespace (default "default")', () => {
    const result = parseApplication(`
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  components:
    - name: api
      type: webservice
      properties: { image: "shop/api:1.0.0" }
      traits: [{ type: realtime, properties: { platform: health-data } }]
  policies: [{ name: keep, type: garbage-collect }]
`);
    expect(result).toEqual({
      ok: true,
      app: {
        name: 'shop',
        namespace: 'default',
        components: [
          {
            name: 'api',
            type: 'webservice',
            properties: { image: 'shop/api:1.0.0' },
            traits: [{ type: 'realtime', properties: { platform: 'health-data' } }],
          },
        ],
        policyTypes: ['garbage-collect'],
        workflowStepTypes: [],
      },
    });
  });

  it('reports a YAML syntax error with its line', () => {
    expect(problemsOf('apiVersion: core.oam.dev/v1beta1\nkind: a: b\n')).toEqual([
      'Nested mappings are not allowed in compact mappings at line 2, column 7',
    ]);
  });

  it('names the wrong apiVersion, kind and missing components', () => {
    expect(
      problemsOf('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\nspec: {}\n'),
    ).toEqual([
      'apiVersion: must be core.oam.dev/v1beta1, got "v1"',
      'kind: must be Application, got "ConfigMap"',
      'spec.components: must be a non-empty list of components',
    ]);
  });

  it('names the component of a missing type, a repeated name and a trait without type', () => {
    expect(
      problemsOf(`
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: x }
spec:
  components:
    - name: a
      properties: {}
    - name: a
      type: webservice
      traits: [{ properties: {} }]
`),
    ).toEqual([
      'component "a": type: is required (the component definition to use)',
      'component "a": spec.components[1].name: repeats the name of spec.components[0]',
      'component "a": traits[0].type: is required',
    ]);
  });

  it('refuses more than one document', () => {
    expect(problemsOf('kind: Application\n---\nkind: Application\n')).toEqual([
      'expected one YAML document holding an Application, found 2',
    ]);
  });
});
