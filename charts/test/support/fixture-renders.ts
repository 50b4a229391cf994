// The preamble of a chart's rendering suites: one `helm template` per values fixture, rendered in
// parallel before the file's tests (one helm run serves every assertion on that fixture), and the
// checks every chart passes with each of its fixtures (helm lint --strict, the Kubernetes schemas).
import { beforeAll, expect, it } from '@jest/globals';
import { kubernetesProblems } from '@realtime-platform/toolchain';
import { lintChart, renderChart, type RenderedChart, type RenderOptions } from './render-chart.js';

/**
 * Registers a beforeAll that renders `chart` once per fixture (with `options`, the fixture as its
 * only values file) and returns the record it fills: read it inside tests, not at collection time.
 */
export function renderEachFixture<Fixture extends string>(
  chart: string,
  fixtures: readonly Fixture[],
  options: Omit<RenderOptions, 'fixtures'> = {},
  timeoutMs?: number,
): Record<Fixture, RenderedChart> {
  const renders = {} as Record<Fixture, RenderedChart>;
  beforeAll(async () => {
    await Promise.all(
      fixtures.map(async (fixture) => {
        renders[fixture] = await renderChart(chart, { ...options, fixtures: [fixture] });
      }),
    );
  }, timeoutMs);
  return renders;
}

/**
 * The two tests each fixture of a chart gets: `helm lint --strict` passes with it, and what it
 * renders is valid against the Kubernetes schemas (with more than `moreObjectsThan` objects, where
 * the suite says how many it expects at least).
 */
export function itLintsAndValidatesEachFixture<Fixture extends string>(
  chart: string,
  fixtures: readonly Fixture[],
  renders: Record<Fixture, RenderedChart>,
  { moreObjectsThan }: { moreObjectsThan?: number } = {},
): void {
  it.each(fixtures)('passes helm lint --strict with the %s values', async (fixture) => {
    await expect(lintChart(chart, [fixture])).resolves.toMatch(
      /1 chart\(s\) linted, 0 chart\(s\) failed/,
    );
  });

  it.each(fixtures)(
    'renders only objects valid against the Kubernetes schemas (%s values)',
    async (fixture) => {
      if (moreObjectsThan !== undefined)
        expect(renders[fixture].objects.length).toBeGreaterThan(moreObjectsThan);
      expect(await kubernetesProblems(renders[fixture].objects)).toEqual([]);
    },
  );
}
