import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { Helm, toolchainErrors } from '../src/index.js';

const chart = fileURLToPath(new URL('./fixtures/tiny-chart', import.meta.url));
const helm = Helm.locate();

describe('Helm (real binary)', () => {
  it('reports a version', async () => {
    expect(await helm.version()).toMatch(/^v\d+\.\d+\.\d+/);
  });

  it('renders a chart with values objects layered in order', async () => {
    const objects = await helm.templateObjects(chart, {
      releaseName: 'demo',
      namespace: 'ns1',
      values: [{ greeting: 'first' }, { greeting: 'second' }],
    });
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'demo-tiny', namespace: 'ns1' },
      data: { greeting: 'second', replicas: '1' },
    });
  });

  it("fails with a coded error carrying helm's schema message", async () => {
    const failure = helm.template(chart, { values: [{ replicas: 0 }] });
    await expect(failure).rejects.toMatchObject({ code: toolchainErrors.HELM_FAILED.code });
    await expect(failure).rejects.toThrow(/replicas/);
  });

  it('lints a valid chart strictly', async () => {
    await expect(helm.lint(chart)).resolves.toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
});
