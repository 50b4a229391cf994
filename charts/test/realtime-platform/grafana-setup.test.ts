// The Grafana setup Job's script, run for real (sh, curl, jq) with the environment the rendered
// Job gives it, against a stand-in for Grafana's HTTP API.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GrafanaApiStandIn } from '../support/grafana-api-stand-in.js';
import { platformScript, runAsContainer } from '../support/container-script.js';
import { containerOf, renderChart, type RenderedChart } from '../support/render-chart.js';

const chart = 'realtime-platform';
const script = platformScript('setup-grafana.sh');

let render: RenderedChart;
let grafana: GrafanaApiStandIn;

/** The rendered Job's container. */
const setupContainer = () =>
  containerOf(render.podTemplate('Job', 'health-data-grafana-setup-1'), 'setup');

/** Runs the script with the Job's environment; only where it finds Grafana is rewritten. */
const run = (extra: Record<string, string> = {}) =>
  runAsContainer(script, render, setupContainer(), {
    GF_URL: grafana.url,
    WAIT_SECONDS: '5',
    POLL_SECONDS: '1',
    ...extra,
  });

const admin = () => render.secretData('health-data-metabase-admin-secret');
const viewer = () => render.secretData('health-data-metabase-secret');

beforeAll(async () => {
  render = await renderChart(chart, { namespace: 'apps', fixtures: ['grafana'] });
});
beforeEach(async () => {
  // Grafana starts with the admin the Deployment gives it (GF_SECURITY_ADMIN_*).
  grafana = await GrafanaApiStandIn.start({
    login: admin().DASHBOARD_ADMIN_USER!,
    password: admin().DASHBOARD_ADMIN_PASSWORD!,
  });
});
afterEach(async () => {
  await grafana.close();
});

describe('realtime-platform: setup-grafana.sh', () => {
  it('creates the viewer of {name}-metabase-secret as an organisation Viewer, never an admin', async () => {
    grafana.startingHealthChecks = 2;
    const result = await run();
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(grafana.users[1]).toMatchObject({
      login: viewer().DASHBOARD_USER,
      password: viewer().DASHBOARD_PASSWORD,
      isGrafanaAdmin: false,
      isDisabled: false,
      role: 'Viewer',
    });
    expect(viewer().DASHBOARD_USER).not.toBe(admin().DASHBOARD_ADMIN_USER);
    // What the applications can do with it: log in, and be refused the admin API.
    const basic = Buffer.from(`${viewer().DASHBOARD_USER}:${viewer().DASHBOARD_PASSWORD}`);
    const refused = await fetch(`${grafana.url}/api/users/lookup?loginOrEmail=x`, {
      headers: { authorization: `Basic ${basic.toString('base64')}` },
    });
    expect(refused.status).toBe(403);
  });

  it('sets the password and the Viewer role again on the next run, and takes admin rights away', async () => {
    await run();
    const user = grafana.users[1]!;
    Object.assign(user, {
      password: 'changed-in-the-ui',
      isGrafanaAdmin: true,
      isDisabled: true,
      role: 'Admin',
    });
    const again = await run();
    expect(again).toMatchObject({ exitCode: 0, stderr: '' });
    expect(again.stdout).toContain('server-admin rights removed');
    expect(grafana.users).toHaveLength(2);
    expect(user).toMatchObject({
      password: viewer().DASHBOARD_PASSWORD,
      isGrafanaAdmin: false,
      isDisabled: false,
      role: 'Viewer',
    });
    expect(grafana.writes().slice(-4)).toEqual([
      'POST /api/admin/users/2/enable',
      'PUT /api/admin/users/2/permissions',
      'PUT /api/admin/users/2/password',
      'PATCH /api/org/users/2',
    ]);
  });

  it('fails loudly, saying what to do, when the admin password no longer works', async () => {
    grafana.users[0]!.password = 'changed-in-the-ui';
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('cannot log in to Grafana (HTTP 401)');
  });

  it('fails loudly when Grafana never becomes healthy', async () => {
    grafana.startingHealthChecks = 1_000;
    const result = await run({ WAIT_SECONDS: '2' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('waiting 2s for Grafana failed: Grafana answered HTTP 503');
  });

  it('never puts a password on a command line (a process listing would show it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtp-grafana-argv-'));
    try {
      // curl behind a wrapper that records every argument it gets.
      const wrapper = join(dir, 'curl');
      await writeFile(
        wrapper,
        `#!/bin/sh\nprintf '%s\\n' "$@" >>'${join(dir, 'argv')}'\nexec curl "$@"\n`,
        { mode: 0o755 },
      );
      const result = await run({ CURL: wrapper });
      expect(result.exitCode).toBe(0);
      const argv = await readFile(join(dir, 'argv'), 'utf8');
      expect(argv).toContain('--config');
      expect(argv).not.toContain(admin().DASHBOARD_ADMIN_PASSWORD);
      expect(argv).not.toContain(viewer().DASHBOARD_PASSWORD);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
