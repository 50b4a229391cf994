import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalPlatform } from '@realtime-platform/local-platform';
import {
  PrometheusServer,
  type PrometheusAlert,
  type ScrapeTarget,
} from '@realtime-platform/local-infra';
import { closeCodes } from '@realtime-platform/realtime-sdk';
import { pollUntil } from '@realtime-platform/testkit';
import { Helm, type KubernetesObject } from '@realtime-platform/toolchain';
import { stringify } from 'yaml';
import { stopPlatform } from './support/platform-lifecycle.js';

/**
 * Issue 17: a real Prometheus (Debian's package) scrapes the platform's services on loopback with
 * the chart's alert rules loaded - the PrometheusRule exactly as `helm template` renders it - and
 * the target labels the chart's PodMonitors give them; stopping the stream processor fires
 * RealtimePlatformServiceDown for it. Scrape and evaluation every second, `serviceDownFor` 5 s,
 * so the alert fires within seconds (the chart's default is 1m).
 */
const platformName = 'e2e-alerts';
const namespace = 'local';
const chartDir = join(import.meta.dirname, '..', '..', 'charts', 'realtime-platform');
const builtin = ['mqtt-bridge', 'stream-processor'] as const;

interface MonitorEndpoint {
  relabelings: { targetLabel: string; replacement: string }[];
}
type Rendered = KubernetesObject & {
  spec: {
    podMetricsEndpoints?: MonitorEndpoint[];
    groups?: { name: string; rules: { alert: string; expr: string }[] }[];
  };
};

const firing = (alerts: PrometheusAlert[], name: string): PrometheusAlert[] =>
  alerts.filter((a) => a.labels.alertname === name && a.state === 'firing');

describe('alerting on the local platform (real Prometheus scraping real services)', () => {
  let platform: LocalPlatform;
  let prometheus: PrometheusServer;
  let rendered: Rendered[];
  let targets: ScrapeTarget[];

  beforeAll(async () => {
    rendered = (await Helm.locate().templateObjects(chartDir, {
      releaseName: 'e2e',
      namespace,
      values: [
        {
          platform: { name: platformName },
          // A render without a cluster for a preview that is never applied (the chart refuses to
          // generate credentials otherwise); only the monitoring objects are used.
          credentials: { renderWithoutCluster: 'generate' },
          metrics: {
            serviceMonitor: { enabled: true },
            prometheusRule: { enabled: true, serviceDownFor: '5s' },
          },
        },
      ],
    })) as Rendered[];
    platform = await LocalPlatform.start({
      name: platformName,
      services: [...builtin, 'realtime-service'],
      simulator: false,
    });
    // The built-in services with the labels their PodMonitors give them in a cluster (namespace
    // is the operator's); the realtime service is an application, scraped by its own monitor.
    targets = rendered
      .filter((obj) => obj.kind === 'PodMonitor')
      .map((monitor) => {
        const labels = Object.fromEntries(
          monitor.spec.podMetricsEndpoints![0]!.relabelings.map((r) => [
            r.targetLabel,
            r.replacement,
          ]),
        );
        return {
          job: `${namespace}/${monitor.metadata.name}`,
          address: `127.0.0.1:${platform.service(labels.component as (typeof builtin)[number]).httpPort}`,
          labels: { namespace, ...labels },
        };
      });
    targets.push({
      job: `${namespace}/realtime-service`,
      address: `127.0.0.1:${platform.service('realtime-service').httpPort}`,
      labels: { namespace },
    });
    const rule = rendered.find((obj) => obj.kind === 'PrometheusRule');
    prometheus = await PrometheusServer.start({
      targets,
      ruleFiles: [stringify({ groups: rule!.spec.groups })],
      intervalSeconds: 1,
    });
  }, 300_000);

  /** The metric names (# TYPE lines) the running services serve on /metrics. */
  async function servedMetrics(): Promise<Set<string>> {
    const served = new Set<string>();
    for (const name of [...builtin, 'realtime-service'] as const) {
      const text = await (await fetch(`${platform.service(name).url}/metrics`)).text();
      for (const [, metric] of text.matchAll(/^# TYPE (\w+) /gm)) served.add(metric!);
    }
    return served;
  }

  afterAll(async () => {
    await prometheus?.stop();
    await stopPlatform(platform, [prometheus?.logFile]);
  }, 60_000);

  it('scrapes every built-in service the chart’s PodMonitors name, and the realtime service', async () => {
    expect(targets.map((t) => t.labels?.component ?? 'realtime-service').sort()).toEqual(
      [...builtin, 'realtime-service'].sort(),
    );
    const up = await pollUntil(
      () => prometheus.query(`up{namespace="${namespace}"} == 1`),
      (samples) => samples.length === targets.length,
      { intervalMs: 500 },
    );
    expect(up.map((s) => s.metric.job).sort()).toEqual(targets.map((t) => t.job).sort());
  });

  it('loaded every alert of the rendered PrometheusRule', async () => {
    const rule = rendered.find((obj) => obj.kind === 'PrometheusRule')!;
    expect((await prometheus.alertingRules()).sort()).toEqual(
      rule.spec.groups!.flatMap((g) => g.rules.map((r) => r.alert)).sort(),
    );
  });

  it('every rtp_ series the rules read is one a running service serves', async () => {
    const rule = rendered.find((obj) => obj.kind === 'PrometheusRule')!;
    const read = new Set(
      rule.spec.groups!.flatMap((g) => g.rules.flatMap((r) => r.expr.match(/\brtp_\w+/g) ?? [])),
    );
    const served = await servedMetrics();
    expect([...read].filter((metric) => !served.has(metric))).toEqual([]);
    expect(read.size).toBeGreaterThan(5);
  });

  it('every rtp_ series the Grafana dashboards read is one a running service serves', async () => {
    const dir = join(chartDir, 'files', 'dashboards');
    const read = new Set(
      readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .flatMap((file) => readFileSync(join(dir, file), 'utf8').match(/\brtp_\w+/g) ?? [])
        // A histogram's series are <name>_bucket/_sum/_count of the name its # TYPE line gives.
        .map((series) => series.replace(/_(bucket|sum|count)$/, '')),
    );
    const served = await servedMetrics();
    expect([...read].filter((metric) => !served.has(metric))).toEqual([]);
    expect(read.size).toBeGreaterThan(15);
  });

  it('closes-for-slowness alert reads the close codes the SDK’s hub sends slow clients', () => {
    const rule = rendered.find((obj) => obj.kind === 'PrometheusRule')!;
    const expr = rule.spec
      .groups!.flatMap((g) => g.rules)
      .find((r) => r.alert === 'RealtimePlatformWebSocketClientsTooSlow')!.expr;
    expect(expr).toContain(`code=~"${closeCodes.tooSlow}|${closeCodes.queueOverflow}"`);
  });

  it('fires nothing while every service runs', async () => {
    // Several evaluations past serviceDownFor with everything up.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect((await prometheus.alerts()).filter((a) => a.state === 'firing')).toEqual([]);
  });

  it('fires RealtimePlatformServiceDown for a stopped stream processor, and for nothing else', async () => {
    await platform.service('stream-processor').stop();
    const alerts = await pollUntil(
      () => prometheus.alerts(),
      (list) => firing(list, 'RealtimePlatformServiceDown').length > 0,
      { intervalMs: 500 },
    );
    expect(firing(alerts, 'RealtimePlatformServiceDown')).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({
          alertname: 'RealtimePlatformServiceDown',
          component: 'stream-processor',
          platform: platformName,
          namespace,
          severity: 'critical',
        }) as unknown,
        annotations: expect.objectContaining({
          summary: 'stream-processor is down',
          runbook_url: expect.stringMatching(
            /\/docs\/runbooks\/realtime-platform-service-down\.md$/,
          ) as unknown,
        }) as unknown,
      }),
    ]);
    expect(
      alerts.filter(
        (a) => a.state === 'firing' && a.labels.alertname !== 'RealtimePlatformServiceDown',
      ),
    ).toEqual([]);
  });
});
