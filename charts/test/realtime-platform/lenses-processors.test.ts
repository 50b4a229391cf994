// The Lenses SQL Job's script, run for real (sh, curl, jq) with the rendered SQL files and the
// rendered Job's environment (its HQ login from the rendered admin Secret), against a stand-in for
// the Lenses HQ calls it makes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LensesProcessorsStandIn } from '../support/lenses-processors-stand-in.js';
import { platformScript, runAsContainer } from '../support/container-script.js';
import { containerOf, envOf, renderChart, type RenderedChart } from '../support/render-chart.js';

const chart = 'realtime-platform';
const script = platformScript('ensure-lenses-processors.sh');

let render: RenderedChart;
let hq: LensesProcessorsStandIn;
let sqlDir: string;
let environment: string;
let admin: Record<string, string>;

/** The rendered Job's container. */
const processorsContainer = () =>
  containerOf(render.podTemplate('Job', 'health-data-lenses-sql-1'), 'processors');

/** Runs the script with the Job's environment; only where it finds HQ and the SQL is rewritten. */
const run = (extra: Record<string, string> = {}) =>
  runAsContainer(script, render, processorsContainer(), {
    HQ_URL: hq.url,
    SQL_DIR: sqlDir,
    WAIT_SECONDS: '10',
    POLL_SECONDS: '1',
    ...extra,
  });

beforeAll(async () => {
  render = await renderChart(chart, { namespace: 'apps', fixtures: ['lenses'] });
  environment = envOf(processorsContainer(), 'HQ_ENV_NAME').value ?? '';
  admin = render.secretData('health-data-lenses-hq-admin');
});
beforeEach(async () => {
  hq = await LensesProcessorsStandIn.start(environment, {
    [admin.username ?? '']: admin.password ?? '',
  });
  sqlDir = await mkdtemp(join(tmpdir(), 'rtp-lenses-sql-'));
  for (const [file, sql] of Object.entries(render.configMapData('health-data-lenses-sql'))) {
    await writeFile(join(sqlDir, file), sql);
  }
});
afterEach(async () => {
  await hq.close();
  await rm(sqlDir, { recursive: true, force: true });
});

describe('realtime-platform: ensure-lenses-processors.sh', () => {
  it('waits for the agent, then creates the four processors with the rendered SQL', async () => {
    hq.agentConnectsAfter = 2;
    const result = await run();
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain(
      `waiting for the agent of environment '${environment}' to connect`,
    );
    expect(hq.processors.map((p) => [p.name, p.deployment.mode])).toEqual([
      ['split-blood-pressure', 'IN_PROC'],
      ['split-heart-rate', 'IN_PROC'],
      ['split-oxygen-saturation', 'IN_PROC'],
      ['split-temperature', 'IN_PROC'],
    ]);
    expect(hq.processors[1]?.sql).toBe(
      render.configMapData('health-data-lenses-sql')['split-heart-rate.sql'],
    );
  });

  it('creates nothing on the next run (idempotent)', async () => {
    await run();
    const again = await run();
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('SQL processors in place (0 created)');
    expect(hq.processors).toHaveLength(4);
  });

  it('fails loudly when HQ refuses the login', async () => {
    const result = await run({ HQ_PASSWORD: 'wrong' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      `logging in to Lenses HQ as '${admin.username}' failed: Lenses HQ answered HTTP 401`,
    );
  });

  it('fails loudly, with HQ answer, when a processor is refused', async () => {
    hq.refuseCreate = { status: 400, body: { message: 'SQL syntax error at line 1' } };
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'creating processor split-blood-pressure failed: Lenses HQ answered HTTP 400',
    );
    expect(result.stderr).toContain('SQL syntax error at line 1');
  });

  it('fails loudly when the agent never connects', async () => {
    hq.agentConnectsAfter = 1_000;
    const result = await run({ WAIT_SECONDS: '2' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      `waiting 2s for the agent of environment '${environment}' to connect failed`,
    );
  });
});
