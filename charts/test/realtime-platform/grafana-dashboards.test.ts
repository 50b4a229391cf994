// The Grafana dashboards (files/dashboards/*.json, templates/grafana-dashboards.yaml): shipped as
// ConfigMaps for Grafana's dashboard sidecar when metrics.grafanaDashboards.enabled; each is
// checked structurally (what Grafana needs to load it) and type-checked against Grafana's own
// dashboard schema (@grafana/schema's Dashboard, generated from Grafana's schema kinds) with the
// real TypeScript compiler. Which metric names the queries read is proven in the e2e (rtp_*, served
// by running services) and in kafka-metrics.test.ts (kafka_*, served by the JMX exporter).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { chartPath, chartsRoot, renderChart, type RenderedChart } from '../support/render-chart.js';

const chart = 'realtime-platform';
const dashboardsDir = join(chartPath(chart), 'files', 'dashboards');
const files = readdirSync(dashboardsDir).filter((file) => file.endsWith('.json'));

interface Target {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
}
const dashboards = files.map(
  (file) =>
    [file, JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as Dashboard] as const,
);

/** The compiler's complaints about `value` typed as @grafana/schema's Dashboard; [] when it fits. */
function grafanaSchemaProblems(name: string, value: unknown): string[] {
  const fileName = join(chartsRoot, 'test', `__${name}.dashboard-check.ts`);
  const source = `import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = ${JSON.stringify(value, null, 2)};\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (file) => file === fileName || ts.sys.fileExists(file);
  host.readFile = (file) => (file === fileName ? source : readFile(file));
  host.getSourceFile = (file, version, ...rest) =>
    file === fileName
      ? ts.createSourceFile(file, source, version)
      : getSourceFile(file, version, ...rest);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the dashboards’ JSON', () => {
  it('ships the pipeline and the realtime dashboards', () => {
    expect(files.sort()).toEqual([
      'realtime-platform-pipeline.json',
      'realtime-platform-realtime.json',
    ]);
  });

  it.each(dashboards)('%s: a uid, a title and a current schemaVersion', (_file, dashboard) => {
    expect(dashboard.uid).toMatch(/^rtp-[a-z-]+$/);
    expect(dashboard.title).toMatch(/^Realtime platform: /);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
  });

  it.each(dashboards)('%s: unique panel ids, and panels inside the 24-column grid', (_file, d) => {
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { gridPos, title } of d.panels)
      expect({
        title,
        fits: gridPos.x >= 0 && gridPos.w > 0 && gridPos.x + gridPos.w <= 24,
      }).toEqual({
        title,
        fits: true,
      });
  });

  it.each(dashboards)(
    '%s: every panel but rows reads the chosen Prometheus data source, with unique refIds',
    (_file, d) => {
      expect(d.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
      const panels = d.panels.filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(5);
      for (const panel of panels) {
        expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
          panel: panel.title,
          datasource: { type: 'prometheus', uid: '${datasource}' },
        });
        const targets = panel.targets ?? [];
        expect(targets.length).toBeGreaterThan(0);
        expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
        for (const target of targets) {
          expect(target.datasource).toEqual(panel.datasource);
          // Every query is scoped to the chosen namespace; the platform's own workloads' series
          // (bridge, processor, Kafka: labelled by its PodMonitors) to the chosen platform too.
          expect(target.expr).toMatch(/\{namespace="\$namespace"[,}]/);
          if (/\b(rtp_mqtt_bridge_|rtp_processor_|kafka_)/.test(target.expr))
            expect(target.expr).toContain('namespace="$namespace",platform="$platform"');
        }
      }
    },
  );

  it.each(dashboards)('%s: fits Grafana’s dashboard schema (@grafana/schema)', (file, d) => {
    expect(grafanaSchemaProblems(file, d)).toEqual([]);
  });

  it('the schema check refuses what Grafana’s schema does (no schemaVersion, a panel id as text)', () => {
    const [, dashboard] = dashboards[0]!;
    const { schemaVersion: _dropped, ...noVersion } = dashboard;
    expect(grafanaSchemaProblems('no-version', noVersion)).not.toEqual([]);
    const textId = structuredClone(dashboard) as unknown as { panels: { id: unknown }[] };
    textId.panels[0]!.id = 'one';
    expect(grafanaSchemaProblems('text-id', textId)).not.toEqual([]);
  });
});

describe('metrics.grafanaDashboards', () => {
  let on: RenderedChart;
  beforeAll(async () => {
    on = await renderChart(chart, {
      namespace: 'apps',
      fixtures: ['minimal'],
      values: [
        {
          metrics: {
            grafanaDashboards: { enabled: true, annotations: { grafana_folder: 'Realtime' } },
          },
        },
      ],
    });
  });

  it('ships one ConfigMap per dashboard with the sidecar’s label, each holding the file as is', () => {
    const maps = ['health-data-dashboard-pipeline', 'health-data-dashboard-realtime'];
    for (const [index, name] of maps.entries()) {
      const map = on.get('ConfigMap', name);
      expect(map.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
      expect(map.metadata.annotations).toEqual({ grafana_folder: 'Realtime' });
      const file = files.sort()[index]!;
      expect(JSON.parse(on.configMapData(name)[file]!)).toEqual(
        JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')),
      );
    }
  });

  it('ships none by default', async () => {
    const off = await renderChart(chart, { namespace: 'apps', fixtures: ['minimal'] });
    expect(off.names().filter((n) => n.includes('dashboard-'))).toEqual([]);
  });
});
