import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { secretEnvFrom } from '@realtime-platform/platform-contract';
import { addonsRoot } from '@realtime-platform/addons';
import { formatProblem, renderApplication, type RenderedApplication } from '../../src/index.js';
import { containerOf, findObject } from '../support/kube-object.js';

// renderApplication, the pipeline behind `rtp render`: vela dry-run → crossplane render of each
// claim (the real functions) → helm template of each composed Release from charts/.

const example = (name: string): string => join(addonsRoot, 'examples', name);

async function renderOk(
  name: string,
  addonParameters: Record<string, unknown> = {},
): Promise<RenderedApplication> {
  const outcome = await renderApplication(example(name), { addonParameters });
  if (!outcome.ok) throw new Error(outcome.problems.map(formatProblem).join('\n'));
  return outcome.rendered;
}

const refs = (objects: { kind: string; metadata: { name: string } }[]) =>
  objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe("renderApplication: the requirements' user flow (overrideWebservice)", () => {
  let rendered: RenderedApplication;
  beforeAll(async () => {
    rendered = await renderOk('user-flow.app.yaml', { overrideWebservice: true });
  });

  it('renders the web service, the claim, its composite and Release, and the chart', () => {
    expect(refs(rendered.workloads)).toEqual([
      'Deployment/health-app',
      'NetworkPolicy/health-app',
      'Service/health-app',
    ]);
    expect(refs(rendered.claims)).toEqual(['RealtimePlatformClaim/health-data-realtime']);
    expect(rendered.composed).toHaveLength(1);
    expect(refs(rendered.composed[0]?.resources ?? [])).toEqual([
      'Release/health-data-realtime-x7k2p',
    ]);
    expect(rendered.releases.map((r) => r.templated.releaseName)).toEqual(['health-data']);
    expect(rendered.warnings).toEqual([]);
  });

  it('connects the stages: the web service loads the Secrets the composite names, which the chart renders in its namespace', () => {
    const deployment = findObject(rendered.workloads, 'Deployment', 'health-app');
    expect(containerOf(deployment).envFrom).toEqual(secretEnvFrom('health-data'));
    const names = Object.values(rendered.composed[0]?.composite.status.secrets ?? {});
    const helmObjects = rendered.releases[0]?.templated.objects ?? [];
    const secrets = helmObjects.filter(
      (o) => o.kind === 'Secret' && names.includes(o.metadata.name),
    );
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual(
      secretEnvFrom('health-data')
        .map((s) => s.secretRef.name)
        .sort(),
    );
    expect(rendered.releases[0]?.templated.namespace).toBe('apps');
  });
});

describe('renderApplication: what is refused after validation', () => {
  it('a Lenses platform while the addon has not accepted the Lenses EULA: the chart refuses, naming the value and the addon parameter', async () => {
    const outcome = await renderApplication(example('every-option.app.yaml'));
    expect(outcome.ok).toBe(false);
    const problems = outcome.ok ? [] : outcome.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: 'helm', component: 'clinic-pipeline' });
    const text = formatProblem(problems[0] as (typeof problems)[number]);
    expect(text).toContain("at '/lenses-hq/license/acceptEULA': value must be true");
    expect(text).toContain('--set lenses.acceptEULA=true');
    expect(text).not.toContain('level=INFO');
  });

  it('renders it once the EULA is accepted, the Lenses subcharts included', async () => {
    const rendered = await renderOk('every-option.app.yaml', { lenses: { acceptEULA: true } });
    const objects = rendered.releases[0]?.templated.objects ?? [];
    expect(refs(objects)).toEqual(
      expect.arrayContaining(['Service/clinic-lenses-hq', 'StatefulSet/clinic-kafka']),
    );
  });
});

describe('renderApplication: an Application without claims', () => {
  it('stops after vela (nothing to compose, no chart)', async () => {
    const rendered = await renderOk('trait-on-existing-deployment.app.yaml');
    expect(refs(rendered.workloads)).toEqual([
      'Deployment/legacy-consumer',
      'NetworkPolicy/legacy-consumer',
    ]);
    expect(rendered.claims).toEqual([]);
    expect(rendered.composed).toEqual([]);
    expect(rendered.releases).toEqual([]);
  });
});
