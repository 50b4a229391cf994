// The scrape objects (templates/service-monitors.yaml): a PodMonitor for every workload that
// serves /metrics without a Service (the built-in services, Grafana), a ServiceMonitor for Lenses
// HQ's metrics Service, each validated against the Prometheus Operator's CRD schemas (the
// validators @kubernetes-models/prometheus-operator generates from them), each selecting exactly
// one workload on a port it has, labelled as the PrometheusRule expects.
import { describe, expect, it } from '@jest/globals';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { renderEachFixture } from '../support/fixture-renders.js';
import { renderChart, type KubernetesObject } from '../support/render-chart.js';
import { selects, workloadsOf } from '../support/workloads.js';

const chart = 'realtime-platform';
const fixtures = ['minimal', 'grafana', 'iot-disabled', 'lenses'] as const;
const monitoringApis = [
  'monitoring.coreos.com/v1/PodMonitor',
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
];

interface Endpoint {
  port: string;
  path: string;
  relabelings: { targetLabel: string; replacement: string }[];
}
type Monitor = KubernetesObject & {
  spec: {
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints?: Endpoint[];
    endpoints?: Endpoint[];
  };
};

/** The CRD schema's verdict on an object: its problems, [] when valid. */
function schemaProblems(obj: KubernetesObject): string[] {
  const model =
    obj.kind === 'PodMonitor'
      ? new PodMonitor(obj as never)
      : obj.kind === 'ServiceMonitor'
        ? new ServiceMonitor(obj as never)
        : new PrometheusRule(obj as never);
  try {
    model.validate();
    return [];
  } catch (error) {
    return [`${obj.kind}/${obj.metadata.name}: ${(error as Error).message}`];
  }
}

const targetLabels = (endpoint: Endpoint): Record<string, string> =>
  Object.fromEntries(endpoint.relabelings.map((r) => [r.targetLabel, r.replacement]));

const renders = renderEachFixture(chart, fixtures, {
  namespace: 'apps',
  apiVersions: monitoringApis,
});

describe('PodMonitors and ServiceMonitors', () => {
  it.each([
    ['minimal', ['PodMonitor/health-data-mqtt-bridge', 'PodMonitor/health-data-stream-processor']],
    [
      'grafana',
      [
        'PodMonitor/health-data-grafana',
        'PodMonitor/health-data-mqtt-bridge',
        'PodMonitor/health-data-stream-processor',
      ],
    ],
    ['iot-disabled', ['PodMonitor/health-data-stream-processor']],
    ['lenses', ['ServiceMonitor/health-data-lenses-hq']],
  ] as const)('%s: scrapes every workload that serves /metrics', (fixture, expected) => {
    const monitors = [
      ...renders[fixture].ofKind('PodMonitor'),
      ...renders[fixture].ofKind('ServiceMonitor'),
    ].map((m) => `${m.kind}/${m.metadata.name}`);
    expect(monitors.sort()).toEqual([...expected].sort());
  });

  it.each(fixtures)('%s: every object passes the Prometheus Operator CRD schema', (fixture) => {
    const objects = [
      ...renders[fixture].ofKind('PodMonitor'),
      ...renders[fixture].ofKind('ServiceMonitor'),
      ...renders[fixture].ofKind('PrometheusRule'),
    ];
    expect(objects.length).toBeGreaterThan(1);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('the schema check refuses what the operator would (a numeric port name, no selector)', () => {
    const [monitor] = renders.minimal.ofKind('PodMonitor') as Monitor[];
    const numericPort = structuredClone(monitor) as Monitor;
    (numericPort.spec.podMetricsEndpoints![0] as unknown as { port: number }).port = 8080;
    expect(schemaProblems(numericPort)).toHaveLength(1);
    const noSelector = structuredClone(monitor) as Monitor;
    delete (noSelector.spec as { selector?: unknown }).selector;
    expect(schemaProblems(noSelector)).toHaveLength(1);
  });

  it.each(fixtures)(
    '%s: each PodMonitor selects one workload and a port it declares, and labels its targets platform/component',
    (fixture) => {
      const workloads = workloadsOf(renders[fixture]).filter((w) => w.longRunning);
      for (const monitor of renders[fixture].ofKind('PodMonitor') as Monitor[]) {
        const selected = workloads.filter((w) =>
          selects(monitor.spec.selector.matchLabels, w.template.metadata.labels),
        );
        expect({ monitor: monitor.metadata.name, selected: selected.length }).toEqual({
          monitor: monitor.metadata.name,
          selected: 1,
        });
        const ports = selected[0]!.template.spec.containers.flatMap((c) =>
          (c.ports ?? []).map((p) => p.name),
        );
        const [endpoint] = monitor.spec.podMetricsEndpoints!;
        expect(ports).toContain(endpoint!.port);
        expect(targetLabels(endpoint!)).toEqual({
          platform: 'health-data',
          component: selected[0]!.template.metadata.labels?.['app.kubernetes.io/component'],
        });
      }
    },
  );

  it.each(fixtures)('%s: every pod annotated prometheus.io/scrape has a PodMonitor', (fixture) => {
    const monitors = renders[fixture].ofKind('PodMonitor') as Monitor[];
    for (const workload of workloadsOf(renders[fixture])) {
      if (workload.template.metadata.annotations?.['prometheus.io/scrape'] !== 'true') continue;
      expect({
        workload: workload.name,
        monitored: monitors.some((m) =>
          selects(m.spec.selector.matchLabels, workload.template.metadata.labels),
        ),
      }).toEqual({ workload: workload.name, monitored: true });
    }
  });

  it('lenses: the ServiceMonitor selects Lenses HQ’s Service by labels, on its metrics port', () => {
    const [monitor] = renders.lenses.ofKind('ServiceMonitor') as Monitor[];
    const services = (
      renders.lenses.ofKind('Service') as (KubernetesObject & {
        spec: { ports: { name: string }[] };
      })[]
    ).filter((s) => selects(monitor!.spec.selector.matchLabels, s.metadata.labels));
    expect(services.map((s) => s.metadata.name)).toEqual(['health-data-lenses-hq']);
    expect(services[0]!.spec.ports.map((p) => p.name)).toContain(monitor!.spec.endpoints![0]!.port);
  });

  it('the rule’s service-down alert watches exactly the built-in services the PodMonitors label', () => {
    const [rule] = renders.minimal.ofKind('PrometheusRule') as (KubernetesObject & {
      spec: { groups: { rules: { alert: string; expr: string }[] }[] };
    })[];
    const expr = rule!.spec.groups[0]!.rules.find(
      (r) => r.alert === 'RealtimePlatformServiceDown',
    )!.expr;
    const builtin = (renders.minimal.ofKind('PodMonitor') as Monitor[])
      .map((m) => targetLabels(m.spec.podMetricsEndpoints![0]!).component)
      .sort();
    expect(expr).toContain(`platform="health-data",component=~"${builtin.join('|')}"`);
  });

  it('renders none without the API or the value, and none with detectApi off', async () => {
    const plain = await renderChart(chart, { namespace: 'apps', fixtures: ['grafana'] });
    expect([...plain.ofKind('PodMonitor'), ...plain.ofKind('ServiceMonitor')]).toEqual([]);
    const optedOut = await renderChart(chart, {
      namespace: 'apps',
      fixtures: ['grafana'],
      apiVersions: monitoringApis,
      values: [{ metrics: { serviceMonitor: { detectApi: false } } }],
    });
    expect(optedOut.ofKind('PodMonitor')).toEqual([]);
    const forced = await renderChart(chart, {
      namespace: 'apps',
      fixtures: ['grafana'],
      values: [{ metrics: { serviceMonitor: { enabled: true, labels: { release: 'kps' } } } }],
    });
    expect(forced.ofKind('PodMonitor')).toHaveLength(3);
    expect(forced.ofKind('PodMonitor')[0]?.metadata.labels).toMatchObject({ release: 'kps' });
  });
});

describe('NetworkPolicies for scraping', () => {
  it('admit networkPolicy.metricsIngress to Grafana’s port and Lenses HQ’s metrics port', async () => {
    const prometheusNs = { namespaceSelector: { matchLabels: { name: 'monitoring' } } };
    for (const [fixture, policy, port] of [
      ['grafana', 'health-data-grafana', 3000],
      ['lenses', 'health-data-lenses-hq', 9090],
    ] as const) {
      const render = await renderChart(chart, {
        namespace: 'apps',
        fixtures: [fixture],
        values: [{ networkPolicy: { metricsIngress: [prometheusNs] } }],
      });
      const np = render.get('NetworkPolicy', policy) as KubernetesObject & {
        spec: { ingress: { ports: { port: number }[]; from: unknown[] }[] };
      };
      expect(np.spec.ingress).toContainEqual({
        ports: [{ port, protocol: 'TCP' }],
        from: [prometheusNs],
      });
    }
  });
});
