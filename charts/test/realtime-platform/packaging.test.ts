// The packaged umbrella chart carries its subcharts (charts/ holds symbolic links to the sibling
// charts; helm package stores their content) and renders like the working copy.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { chartPath, helm, renderChart, valuesFixture } from '../support/render-chart.js';

let destination: string;
let archive: string;
beforeAll(async () => {
  destination = await mkdtemp(join(tmpdir(), 'rtp-umbrella-package-'));
  archive = await helm().package(chartPath('realtime-platform'), destination);
});
afterAll(async () => {
  await rm(destination, { recursive: true, force: true });
});

describe('realtime-platform: the packaged chart', () => {
  it('bundles iot-broker, lenses-hq and lenses-agent with their files', async () => {
    const { stdout } = await promisify(execFile)('tar', ['-tzf', archive]);
    const entries = stdout.split('\n');
    for (const entry of [
      'realtime-platform/charts/iot-broker/templates/_helpers.tpl',
      'realtime-platform/charts/lenses-hq/Chart.yaml',
      'realtime-platform/charts/lenses-agent/files/ensure-agent-key.sh',
      'realtime-platform/files/scripts/apply-connectors.sh',
      'realtime-platform/files/lenses-sql/split-heart-rate.sql',
    ]) {
      expect(entries).toContain(entry);
    }
  });

  it('renders the same objects from the archive as from the working copy', async () => {
    const { stdout } = await helm().run([
      'template',
      'platform',
      archive,
      '--namespace',
      'apps',
      '--values',
      valuesFixture('realtime-platform', 'lenses'),
      // helm template without a cluster: a preview, as renderChart's are.
      '--set',
      'credentials.renderWithoutCluster=generate',
    ]);
    const names = (objects: { kind: string; metadata: { name: string } }[]) =>
      objects.map((obj) => `${obj.kind}/${obj.metadata.name}`).sort();
    const fromArchive = parseAllDocuments(stdout)
      .map((doc) => doc.toJSON() as { kind: string; metadata: { name: string } } | null)
      .filter((obj): obj is { kind: string; metadata: { name: string } } => obj !== null);
    const fromWorkingCopy = await renderChart('realtime-platform', {
      releaseName: 'platform',
      namespace: 'apps',
      fixtures: ['lenses'],
    });
    expect(names(fromArchive)).toEqual(names(fromWorkingCopy.objects));
  });
});
