import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { addonDir, chartsDir, composedCharts, packageCharts } from '../../src/index.js';

const destination = mkdtempSync(join(tmpdir(), 'rtp-helm-repo-'));
afterAll(() => rmSync(destination, { recursive: true, force: true }));

describe('packageCharts (real helm package + helm repo index)', () => {
  it("has the addon's default chartVersion equal to the charts' versions", () => {
    const parameter = readFileSync(join(addonDir, 'parameter.cue'), 'utf8');
    const chartVersion = /chartVersion: \*"([^"]+)"/.exec(parameter)?.[1];
    for (const chart of composedCharts) {
      const { version } = parse(readFileSync(join(chartsDir, chart, 'Chart.yaml'), 'utf8')) as {
        version: string;
      };
      expect([chart, version]).toEqual([chart, chartVersion]);
    }
  });

  it('builds a repository with the charts the Compositions install, at their Chart.yaml versions', async () => {
    const url = 'https://charts.example.test/realtime-platform';
    const archives = await packageCharts({ destination, url });
    expect(archives).toHaveLength(composedCharts.length);
    const index = parse(readFileSync(join(destination, 'index.yaml'), 'utf8')) as {
      entries: Record<string, { version: string; urls: string[] }[]>;
    };
    for (const chart of composedCharts) {
      const { version } = parse(readFileSync(join(chartsDir, chart, 'Chart.yaml'), 'utf8')) as {
        version: string;
      };
      expect(index.entries[chart]?.map((e) => [e.version, e.urls])).toEqual([
        [version, [`${url}/${chart}-${version}.tgz`]],
      ]);
    }
  });

  it('carries the subcharts inside the umbrella archive, so the repository needs nothing else', () => {
    const archive = join(destination, 'realtime-platform-0.1.0.tgz');
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    const subcharts = listing
      .split('\n')
      .filter((path) => /^realtime-platform\/charts\/[^/]+\/Chart\.yaml$/.test(path))
      .sort();
    // common is the charts' library chart (names, labels, images), carried once by the umbrella.
    expect(subcharts).toEqual([
      'realtime-platform/charts/common/Chart.yaml',
      'realtime-platform/charts/iot-broker/Chart.yaml',
      'realtime-platform/charts/lenses-agent/Chart.yaml',
      'realtime-platform/charts/lenses-hq/Chart.yaml',
    ]);
  });
});
