// A provisioning script may source a file beside it (`. "$(dirname "$0")/<file>"`, e.g. the HTTP
// API client the Grafana, Metabase, Lenses and Connect scripts share): the scripts ConfigMap ships
// that file too, and every container running such a script has it in the same folder.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { platformScript } from '../support/container-script.js';
import { renderEachFixture } from '../support/fixture-renders.js';
import { containersOf, workloadsOf } from '../support/workloads.js';

const chart = 'realtime-platform';
const scriptsDir = posix.dirname(platformScript('any.sh'));
const scripts = readdirSync(scriptsDir).filter((name) => name.endsWith('.sh'));
/** The files a script sources from its own folder. */
const sourcedBy = (script: string): string[] =>
  [
    ...readFileSync(platformScript(script), 'utf8').matchAll(
      /^\s*\.\s+"\$\(dirname "\$0"\)\/([\w.-]+)"/gm,
    ),
  ].map(([, file]) => file as string);

// Every fixture that runs one of the scripts sourcing a file: Metabase and Connect (every-option),
// Grafana, Lenses.
const fixtures = ['every-option', 'grafana', 'lenses'] as const;
const renders = renderEachFixture(chart, fixtures, { releaseName: 'platform', namespace: 'apps' });

describe('realtime-platform: files the scripts source', () => {
  it('are sourced by the Grafana, Metabase, Lenses and Connect scripts, and exist', () => {
    const sourcing = scripts.filter((script) => sourcedBy(script).length > 0).sort();
    expect(sourcing).toEqual([
      'apply-connectors.sh',
      'ensure-lenses-processors.sh',
      'setup-grafana.sh',
      'setup-metabase.sh',
    ]);
    for (const script of sourcing) {
      for (const file of sourcedBy(script)) expect(scripts).toContain(file);
    }
  });

  it.each(fixtures)(
    'ship in the scripts ConfigMap and beside every script that sources them (%s values)',
    (fixture) => {
      const render = renders[fixture];
      const configMap = render.configMapData('health-data-scripts');
      let running = 0;
      for (const workload of workloadsOf(render)) {
        const volumes = workload.template.spec.volumes ?? [];
        for (const container of containersOf(workload.template)) {
          for (const word of container.command ?? []) {
            const script = scripts.find((name) => word.endsWith(`/${name}`));
            if (!script || sourcedBy(script).length === 0) continue;
            running += 1;
            const folder = posix.dirname(word);
            const mount = container.volumeMounts?.find((each) => each.mountPath === folder);
            const volume = volumes.find((each) => each.name === mount?.name);
            expect({ script, configMap: volume?.configMap?.name }).toEqual({
              script,
              configMap: 'health-data-scripts',
            });
            for (const file of sourcedBy(script)) {
              expect(configMap[file]).toBe(readFileSync(platformScript(file), 'utf8'));
              // The whole ConfigMap, or at least the sourced file, is in the folder.
              const items = volume?.configMap?.items;
              if (items) expect(items.map((item) => item.path)).toContain(file);
            }
          }
        }
      }
      expect(running).toBeGreaterThan(0);
    },
  );
});
