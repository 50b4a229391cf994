// The pipeline's alerts (templates/prometheus-rule.yaml): the PrometheusRule exactly as helm
// renders it goes through the real `promtool check rules` and `promtool test rules` (Debian's
// prometheus package; install.sh installs it), every alert has a firing and a silent case, and a
// runbook in docs/runbooks/ that its runbook_url names.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promtoolBinary } from '@realtime-platform/toolchain';
import { parse, stringify } from 'yaml';
import { chartsRoot, renderChart, type RenderedChart } from '../support/render-chart.js';

const run = promisify(execFile);
const chart = 'realtime-platform';
const promtoolTests = join(chartsRoot, 'test', chart, 'alerts', 'pipeline-alerts.promtool.yaml');
const runbooksDir = join(chartsRoot, '..', 'docs', 'runbooks');
const runbookBaseUrl =
  'https://github.com/realtime-platform/realtime-platform/blob/main/docs/runbooks';

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

const groupsOf = (render: RenderedChart): RuleGroup[] => {
  const [rule] = render.ofKind('PrometheusRule') as unknown as { spec: { groups: RuleGroup[] } }[];
  if (!rule) throw new Error('no PrometheusRule rendered');
  return rule.spec.groups;
};
const alertsOf = (render: RenderedChart): AlertRule[] => groupsOf(render).flatMap((g) => g.rules);

/** RealtimePlatformConsumerLagGrowing -> realtime-platform-consumer-lag-growing */
const kebab = (alert: string): string =>
  alert
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

// The promtool cases are written for release namespace "demo", platform "health" and defaults.
const enabled = { platform: { name: 'health' }, metrics: { prometheusRule: { enabled: true } } };
let render: RenderedChart;
let workDir: string;
beforeAll(async () => {
  render = await renderChart(chart, { namespace: 'demo', values: [enabled] });
  workDir = await mkdtemp(join(tmpdir(), 'rtp-alert-rules-'));
  // promtool reads rule_files relative to the test file: both go side by side.
  await writeFile(
    join(workDir, 'pipeline-alerts.rules.yaml'),
    stringify({ groups: groupsOf(render) }),
  );
  await copyFile(promtoolTests, join(workDir, 'pipeline-alerts.promtool.yaml'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('PrometheusRule (promtool)', () => {
  it('passes `promtool check rules` as rendered', async () => {
    const { stdout } = await run(promtoolBinary(), [
      'check',
      'rules',
      join(workDir, 'pipeline-alerts.rules.yaml'),
    ]);
    expect(stdout).toContain(`SUCCESS: ${alertsOf(render).length} rules found`);
  });

  it('passes every `promtool test rules` case: each alert fires on its failure and stays silent otherwise', async () => {
    const result = await run(promtoolBinary(), [
      'test',
      'rules',
      join(workDir, 'pipeline-alerts.promtool.yaml'),
    ]).catch((error: { stdout?: string; stderr?: string }) => error);
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toMatch(/SUCCESS\s*$/);
  });

  it('has a firing case and a silent case for every alert', () => {
    const cases = (
      parse(readFileSync(promtoolTests, 'utf8')) as {
        tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
      }
    ).tests.flatMap((t) => t.alert_rule_test);
    for (const { alert } of alertsOf(render)) {
      const own = cases.filter((c) => c.alertname === alert);
      expect({ alert, fires: own.some((c) => c.exp_alerts.length > 0) }).toEqual({
        alert,
        fires: true,
      });
      expect({ alert, silent: own.some((c) => c.exp_alerts.length === 0) }).toEqual({
        alert,
        silent: true,
      });
    }
  });

  it('alerts on the pipeline failures issue 17 names', () => {
    expect(alertsOf(render).map((a) => a.alert)).toEqual([
      'RealtimePlatformConsumerLagGrowing',
      'RealtimePlatformDeadLetters',
      'RealtimePlatformBridgeUnacknowledged',
      'RealtimePlatformConsumerRetrying',
      'RealtimePlatformDeviceSilent',
      'RealtimePlatformWebSocketClientsTooSlow',
      'RealtimePlatformKafkaUnderReplicatedPartitions',
      'RealtimePlatformPodNotReady',
      'RealtimePlatformServiceDown',
    ]);
  });
});

describe('runbooks', () => {
  it('links every alert to its runbook in docs/runbooks/, which exists and says what, how to confirm, how to fix', () => {
    for (const { alert, annotations } of alertsOf(render)) {
      const file = `${kebab(alert)}.md`;
      expect({ alert, url: annotations.runbook_url }).toEqual({
        alert,
        url: `${runbookBaseUrl}/${file}`,
      });
      const path = join(runbooksDir, file);
      expect({ alert, exists: existsSync(path) }).toEqual({ alert, exists: true });
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(`# ${alert}`);
      for (const section of ['## What it means', '## How to confirm', '## How to fix'])
        expect({ alert, section, present: text.includes(section) }).toEqual({
          alert,
          section,
          present: true,
        });
    }
  });

  it('has no runbook without an alert (docs/runbooks/ holds one per alert and its index)', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(runbooksDir)).filter((f) => f !== 'README.md').sort();
    expect(files).toEqual(
      alertsOf(render)
        .map((a) => `${kebab(a.alert)}.md`)
        .sort(),
    );
  });
});

describe('PrometheusRule rendering', () => {
  const api = 'monitoring.coreos.com/v1/PrometheusRule';

  it('is not rendered by default where the monitoring.coreos.com/v1 API is absent', async () => {
    const plain = await renderChart(chart, { namespace: 'demo', fixtures: ['minimal'] });
    expect(plain.ofKind('PrometheusRule')).toEqual([]);
  });

  it('is rendered when the cluster serves PrometheusRules, unless detectApi is off', async () => {
    const detected = await renderChart(chart, {
      namespace: 'demo',
      fixtures: ['minimal'],
      apiVersions: [api],
    });
    expect(detected.ofKind('PrometheusRule')).toHaveLength(1);
    const optedOut = await renderChart(chart, {
      namespace: 'demo',
      fixtures: ['minimal'],
      apiVersions: [api],
      values: [{ metrics: { prometheusRule: { detectApi: false } } }],
    });
    expect(optedOut.ofKind('PrometheusRule')).toEqual([]);
  });

  it('carries the extra labels a Prometheus ruleSelector matches', async () => {
    const labelled = await renderChart(chart, {
      namespace: 'demo',
      values: [enabled, { metrics: { prometheusRule: { labels: { release: 'kps' } } } }],
    });
    const [rule] = labelled.ofKind('PrometheusRule');
    expect(rule?.metadata?.labels).toMatchObject({ release: 'kps' });
  });

  it('watches only the built-in services this release runs (none with Lenses SQL)', async () => {
    const serviceDown = alertsOf(render).find((a) => a.alert === 'RealtimePlatformServiceDown');
    expect(serviceDown?.expr).toContain('component=~"mqtt-bridge|stream-processor"');
    const lenses = await renderChart(chart, {
      namespace: 'demo',
      fixtures: ['lenses'],
      values: [{ metrics: { prometheusRule: { enabled: true } } }],
    });
    expect(alertsOf(lenses).map((a) => a.alert)).not.toContain('RealtimePlatformServiceDown');
  });
});
