import { execFile } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chartPath, chartsRoot, helm } from './support/render-chart.js';

const charts = readdirSync(chartsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(chartsRoot, entry.name, 'Chart.yaml')))
  .map((entry) => entry.name);

/**
 * What a chart archive may contain: chart metadata, values, docs, templates and files/, for the
 * chart and for each subchart it bundles under charts/<name>/ (the realtime-platform umbrella).
 */
const packagedFile =
  /^[^/]+\/(charts\/[^/]+\/)?(Chart\.yaml|values\.yaml|values\.schema\.json|README\.md|\.helmignore|templates\/.+|files\/.+)$/;

let destination: string;
beforeAll(async () => {
  destination = await mkdtemp(join(tmpdir(), 'rtp-chart-package-'));
});
afterAll(async () => {
  await rm(destination, { recursive: true, force: true });
});

describe('chart packages', () => {
  it('finds the charts of this folder', () => {
    expect(charts).toEqual(expect.arrayContaining(['lenses-agent', 'lenses-hq']));
  });

  it.each(charts)(
    '%s packages only chart files (no tests, fixtures or workspace files)',
    async (chart) => {
      const archive = await helm().package(chartPath(chart), destination);
      const { stdout } = await promisify(execFile)('tar', ['-tzf', archive]);
      const entries = stdout.split('\n').filter(Boolean);
      expect(entries).toContain(`${chart}/Chart.yaml`);
      expect(entries).toContain(`${chart}/values.schema.json`);
      expect(entries.filter((entry) => !packagedFile.test(entry))).toEqual([]);
    },
  );

  it('ships the agent-key script inside the lenses-agent package', async () => {
    const archive = await helm().package(chartPath('lenses-agent'), destination);
    const { stdout } = await promisify(execFile)('tar', ['-tzf', archive]);
    expect(stdout.split('\n')).toContain('lenses-agent/files/ensure-agent-key.sh');
  });
});
